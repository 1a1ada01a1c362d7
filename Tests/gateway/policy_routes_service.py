"""A FastAPI service that serves every route of one route policy, in the policy's order, and answers
each request with the route template Starlette chose and the path parameters it decoded, so that a
gateway test can tell which route the upstream really served.

Environment:
  POLICY_FILE   the route policy whose templates become the routes

Run: ``python -m uvicorn policy_routes_service:app --app-dir Tests/gateway --port N``.
"""

import json
import os

from fastapi import FastAPI, Request

app = FastAPI()

with open(os.environ["POLICY_FILE"], encoding="utf-8") as policy_file:
    policy = json.load(policy_file)


def served(template):
    async def handler(request: Request):
        return {"route": template, "params": dict(request.path_params), "path": request.scope["path"]}

    return handler


for template, methods in policy["routes"].items():
    app.add_api_route(template, served(template), methods=list(methods))
