-- wrk script for bench/http_bench.sh, tests/e2e/soak.sh and
-- tests/e2e/reload_load.sh: sends the
-- requests listed in a file (`-- FILE NTHREADS`), round-robin, each thread
-- starting at its own offset so that the threads do not ask the same query
-- at the same moment. A line is a URL-encoded path (GET), or
-- "METHOD PATH BODY" (one space each; BODY is the rest of the line, sent as
-- application/json when it starts with "{", else text/plain).
-- Counts non-2xx answers and prints, after wrk's report:
--   requests N / non2xx N / socket_errors N
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

-- One line -> a formatted request, built once.
local function parse(line)
  local method, path, body = line:match("^(%u+) (%S+) ?(.*)$")
  if not method then
    return wrk.format("GET", line)
  end
  if body == "" then
    return wrk.format(method, path)
  end
  local ctype = body:sub(1, 1) == "{" and "application/json" or "text/plain"
  return wrk.format(method, path, {["Content-Type"] = ctype}, body)
end

function init(args)
  reqs = {}
  local f = args[1] and io.open(args[1])
  if f then
    for line in f:lines() do
      if line ~= "" then table.insert(reqs, parse(line)) end
    end
    f:close()
  end
  if #reqs == 0 then
    io.stderr:write("wrk_search.lua: no paths in ", tostring(args[1]), "\n")
    os.exit(2)
  end
  n = math.floor(tid * #reqs / (tonumber(args[2]) or 1))
  non2xx = 0
end

function request()
  n = n + 1
  return reqs[(n % #reqs) + 1]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("non2xx %d\n", bad))
  io.write(string.format("socket_errors %d\n",
                         e.connect + e.read + e.write + e.timeout))
end
