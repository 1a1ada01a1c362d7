-- wrk script of scripts/soak: sends the requests of SOAK_REQUESTS (written by soak_requests.py)
-- round robin and checks every answer against the request's expectation. Each wrk thread has one
-- connection and wrk sends one request at a time on it, so each answer is checked against the
-- request it answers. SOAK_DELAY_MS > 0 paces each connection (scripts/soak picks the number
-- of connections and the delay for the rate it wants).

local requests = dofile(os.getenv("SOAK_REQUESTS"))
local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "0")
local threads = {}

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    prepared = {}
    for index, entry in ipairs(requests) do
        prepared[index] = wrk.format(entry.method, entry.path, entry.headers, entry.body)
    end
    next_index = (id * 7919) % #requests
    pending, first, last = {}, 1, 0
    sent, checked, wrong, server_errors = 0, 0, 0, 0
    first_wrong = ""
end

function request()
    next_index = next_index % #requests + 1
    last = last + 1
    pending[last] = next_index
    sent = sent + 1
    return prepared[next_index]
end

if delay_ms > 0 then
    function delay()
        return delay_ms
    end
end

local function as_expected(entry, status, body)
    if status ~= entry.status then return false end
    if entry.authorised == nil then return true end
    local decision = entry.authorised and '"is_authorised":true' or '"is_authorised":false'
    if not string.find(body, decision, 1, true) then return false end
    return entry.reason == nil or string.find(body, entry.reason, 1, true) ~= nil
end

function response(status, headers, body)
    -- wrk asks the first thread's script for one request before the run, to check it, and never
    -- sends it; with one request in flight per connection, only the newest is being answered.
    while last > first do
        pending[first] = nil
        first = first + 1
    end
    local entry = requests[pending[first]]
    pending[first] = nil
    first = first + 1
    checked = checked + 1
    if status >= 500 then server_errors = server_errors + 1 end
    if not as_expected(entry, status, body) then
        wrong = wrong + 1
        if first_wrong == "" then
            first_wrong = entry.name .. ": got " .. status .. " " .. string.sub(body, 1, 200)
        end
    end
end

function done(summary, latency, _)
    local totals = {sent = 0, checked = 0, wrong = 0, server_errors = 0}
    local example = ""
    for _, thread in ipairs(threads) do
        for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
        if example == "" then example = thread:get("first_wrong") end
    end
    local errors = summary.errors
    io.write(string.format(
        "soak-result requests=%d checked=%d wrong=%d status5xx=%d socket_errors=%d seconds=%.1f rate=%.0f mean_ms=%.3f p99_ms=%.3f\n",
        summary.requests, totals.checked, totals.wrong, totals.server_errors,
        errors.connect + errors.read + errors.write + errors.timeout, summary.duration / 1e6,
        summary.requests / (summary.duration / 1e6), latency.mean / 1000, latency:percentile(99) / 1000))
    if example ~= "" then io.write("soak-first-wrong " .. example .. "\n") end
end
