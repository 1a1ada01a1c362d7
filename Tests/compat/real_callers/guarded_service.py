"""A FastAPI service guarded the way the SRCNet Python services guard theirs.

Every guarded route depends on ``verify_permission_for_service_route``, which does per request what
the services' ``PermissionsClient`` call does::

    POST {POLICYD_URL}/api/v1/authorise/route/{service}
         ?route=<the route's template without the version prefix>&method=<METHOD>&version=1&token=<bearer>
    body: request.path_params as JSON

and reads ``rtn.get("is_authorised", False)``: anything but true is a 403. The call is made with
``requests``, as the Python clients make it. Routes are declared under ``APIRouter(prefix="/v1")``, so
``request.scope["route"].path`` is ``/v1/jobs/{job_id:int}`` and the route sent is
``/jobs/{job_id:int}``: the template as FastAPI declares it, Starlette convertor included.

Environment:
  POLICYD_URL               policyd's base URL (the service appends /api/v1/...)
  GUARDED_SERVICE_NAME      the policy to ask (default demo-data-api)
  GUARDED_SERVICE_VERSION   the policy version to ask (default 1)
  GUARDED_SERVICE_RECORD    a file to which every answer of policyd is appended, one JSON line each
                            (the request sent, without its token, and the status and body received)

Run: ``python -m uvicorn guarded_service:app --app-dir Tests/compat/real_callers --port N``.
"""

import json
import os
import threading

import requests
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

POLICYD_URL = os.environ.get("POLICYD_URL", "http://127.0.0.1:8080").rstrip("/")
SERVICE_NAME = os.environ.get("GUARDED_SERVICE_NAME", "demo-data-api")
SERVICE_VERSION = os.environ.get("GUARDED_SERVICE_VERSION", "1")
RECORD = os.environ.get("GUARDED_SERVICE_RECORD")
API_PREFIX = "/v1"


class PermissionsClient:
    """The part of the SRCNet services' permissions client the guard uses, over ``requests``."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.trust_env = False  # loopback only: never through a proxy from the environment
        self.lock = threading.Lock()

    def authorise_service_route(self, service, route, method, token, body=None, version=None):
        params = {"route": route, "method": method, "version": version, "token": token}
        response = self.session.post(f"{self.base_url}/api/v1/authorise/route/{service}",
                                     params=params, json=body, timeout=10)
        self._record(service, params, body, response)
        return response

    def _record(self, service, params, body, response):
        if not RECORD:
            return
        try:
            answer = response.json()
        except ValueError:
            answer = None
        entry = {
            "service": service,
            "query": {key: value for key, value in params.items() if key != "token"},
            "body": body,
            "status": response.status_code,
            "answer": answer,
            "text": None if answer is not None else response.text,
        }
        with self.lock, open(RECORD, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


permissions = PermissionsClient(POLICYD_URL)
bearer = HTTPBearer()


def verify_permission_for_service_route(request: Request,
                                        credentials: HTTPAuthorizationCredentials = Depends(bearer)):
    route = request.scope["route"].path
    if route.startswith(API_PREFIX + "/"):
        route = route[len(API_PREFIX):]
    rtn = permissions.authorise_service_route(service=SERVICE_NAME, route=route, method=request.method,
                                              token=credentials.credentials, body=request.path_params,
                                              version=SERVICE_VERSION)
    try:
        rtn = rtn.json()
    except ValueError:
        rtn = {}
    if not isinstance(rtn, dict) or not rtn.get("is_authorised", False):
        raise HTTPException(status_code=403, detail="Permission denied")


router = APIRouter(prefix=API_PREFIX)
guarded = [Depends(verify_permission_for_service_route)]


class MoveRequest(BaseModel):
    namespace: str
    name: str
    destination: str


@router.get("/ping")
def ping():
    return {"status": "UP"}


@router.get("/data/list/{namespace}", dependencies=guarded)
def list_namespace(namespace: str):
    return {"namespace": namespace, "files": []}


@router.get("/data/locate/{namespace}/{name:path}", dependencies=guarded)
def locate(namespace: str, name: str):
    return {"namespace": namespace, "name": name, "replicas": []}


@router.get("/data/files/{namespace}/{name:path}", dependencies=guarded)
def file_metadata(namespace: str, name: str):
    return {"namespace": namespace, "name": name}


@router.post("/data/move", dependencies=guarded)
def move(move_request: MoveRequest):
    return {"moved": move_request.model_dump()}


@router.get("/jobs/{job_id:int}", dependencies=guarded)
def job(job_id: int):
    return {"job_id": job_id}


@router.get("/jobs/{job_id}/log", dependencies=guarded)
def job_log(job_id: int):
    return {"job_id": job_id, "log": ""}


app = FastAPI(title="demo-data-api")
app.include_router(router)
