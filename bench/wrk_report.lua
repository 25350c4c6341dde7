-- wrk script for bench/run.py: builds the request from environment variables, counts status
-- codes per thread and prints one JSON line (prefixed with BENCH_JSON) when the run is over.
--
--   BENCH_KIND      list | get (GET) | create (POST) | toggle (PATCH, no body)
--                   | patch (PATCH of the title) | login (POST)
--   BENCH_PATH      request path (with query string); "{id}" in it is replaced per request
--   BENCH_IDS       comma-separated ids that "{id}" takes in turn
--   BENCH_TOKEN     bearer token (every kind but login)
--   BENCH_EMAIL, BENCH_PASSWORD, BENCH_LOGIN_FORMAT (json | form)   (login)

local kind = os.getenv("BENCH_KIND") or "list"
local path = os.getenv("BENCH_PATH") or "/api/tasks?limit=100"
local token = os.getenv("BENCH_TOKEN") or ""
local email = os.getenv("BENCH_EMAIL") or ""
local password = os.getenv("BENCH_PASSWORD") or ""
local login_format = os.getenv("BENCH_LOGIN_FORMAT") or "json"
local ids = {}
for id in string.gmatch(os.getenv("BENCH_IDS") or "", "%d+") do
   table.insert(ids, id)
end

local threads = {}
local counter = 0
local next_thread_id = 0
thread_id = 0 -- set per thread by setup()
statuses = {}

function setup(thread)
   next_thread_id = next_thread_id + 1
   thread:set("thread_id", next_thread_id)
   table.insert(threads, thread)
end

function init(args)
   statuses = {}
end

local function urlencode(text)
   return (string.gsub(text, "[^%w%-%._~]", function(c)
      return string.format("%%%02X", string.byte(c))
   end))
end

local description = "Measured by bench/run.py; sixty characters of description."

-- Ids in turn: with more ids than connections, no two requests in flight change the same
-- task, so the writes measure their own cost and not a queue on one row's lock.
local function current_path()
   if #ids == 0 then
      return path
   end
   return (string.gsub(path, "{id}", ids[counter % #ids + 1], 1))
end

function request()
   counter = counter + 1
   local bearer = { ["Authorization"] = "Bearer " .. token }
   if kind == "list" or kind == "get" then
      return wrk.format("GET", current_path(), bearer)
   elseif kind == "toggle" then
      return wrk.format("PATCH", current_path(), bearer)
   elseif kind == "patch" then
      local body = string.format('{"title":"Bench patch %d-%d"}', thread_id, counter)
      return wrk.format("PATCH", current_path(), {
         ["Authorization"] = "Bearer " .. token,
         ["Content-Type"] = "application/json",
      }, body)
   elseif kind == "create" then
      local body = string.format(
         '{"title":"Bench %d-%d","description":"%s","tags":["bench","load"],'
            .. '"due_date":"2030-01-%02d","priority":"medium"}',
         thread_id, counter, description, counter % 28 + 1)
      return wrk.format("POST", path, {
         ["Authorization"] = "Bearer " .. token,
         ["Content-Type"] = "application/json",
      }, body)
   else
      local body, content_type
      if login_format == "form" then
         body = "username=" .. urlencode(email) .. "&password=" .. urlencode(password)
         content_type = "application/x-www-form-urlencoded"
      else
         body = string.format('{"email":"%s","password":"%s"}', email, password)
         content_type = "application/json"
      end
      return wrk.format("POST", path, { ["Content-Type"] = content_type }, body)
   end
end

function response(status, headers, body)
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
   local merged = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      for code, n in pairs(counts) do
         merged[code] = (merged[code] or 0) + n
      end
   end
   local parts = {}
   for code, n in pairs(merged) do
      table.insert(parts, string.format('"%s":%d', code, n))
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,'
         .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
         .. '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},'
         .. '"statuses":{%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean,
      table.concat(parts, ",")))
end
