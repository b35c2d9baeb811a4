-- wrk script for `make bench`. Without arguments, it GETs the URL wrk was given. With
-- arguments (a file of session keys, one a line, the session cookie's name, the CSRF cookie as
-- name=value, and the CSRF token), it POSTs a comment to it as each member in turn.
-- Either way it ends by printing one line of figures for tests/bench/load.py.
local threads = {}
local sessions = {}
local cookie_name, csrf_cookie, csrf_token
local turn, sent = 0, 0

setup = function(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

init = function(args)
  if args[1] then
    for line in io.lines(args[1]) do
      table.insert(sessions, line)
    end
    cookie_name, csrf_cookie, csrf_token = args[2], args[3], args[4]
    turn = id * 97
  end
end

request = function()
  if #sessions == 0 then
    return wrk.format()
  end
  turn = turn % #sessions + 1
  sent = sent + 1
  local body = "body=A+comment+from+the+bench%2C+number+" .. id .. "-" .. sent .. "."
  return wrk.format("POST", nil, {
    ["Cookie"] = cookie_name .. "=" .. sessions[turn] .. "; " .. csrf_cookie,
    ["X-CSRFToken"] = csrf_token,
    ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d "
      .. "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
