-- wrk script for reload_load.sh: cycles through the paths given after `--`
-- and reports non-2xx answers and socket errors on stdout, one per line:
--   requests N / non2xx N / socket_errors N
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = args
  if #paths == 0 then paths = {"/health"} end
  n = 0
  non2xx = 0
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
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
