-- wrk script of bench/load_test.py. Run with as many threads as connections (wrk -t N -c N): each
-- thread is one connection and one user. The file named by ONEX_LOAD_PLAN has a line per connection:
--   <kind> <cookie or -> <path> [<path> ...]
-- and the connection requests its paths in turn. Any status outside 2xx is an error (a redirect
-- to the login page included, which wrk's own count would not report).

local lines = {}
local threads = {}

function setup(thread)
   if #lines == 0 then
      for line in io.lines(os.getenv("ONEX_LOAD_PLAN")) do
         table.insert(lines, line)
      end
   end
   table.insert(threads, thread)
   thread:set("line", lines[(#threads - 1) % #lines + 1])
end

function init(args)
   local words = {}
   for word in string.gmatch(line, "%S+") do
      table.insert(words, word)
   end
   kind = words[1]
   headers = {}
   if words[2] ~= "-" then
      headers["Cookie"] = words[2]
   end
   paths = {}
   for i = 3, #words do
      table.insert(paths, words[i])
   end
   turn = 0
   answered = 0
   non_2xx = 0
end

function request()
   turn = turn % #paths + 1
   return wrk.format("GET", paths[turn], headers)
end

function response(status, headers, body)
   answered = answered + 1
   if status < 200 or status > 299 then
      non_2xx = non_2xx + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   local kinds = {}
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("non_2xx")
      local k = thread:get("kind")
      kinds[k] = (kinds[k] or 0) + thread:get("answered")
   end
   local by_kind = {}
   for k, n in pairs(kinds) do
      table.insert(by_kind, string.format('"%s": %d', k, n))
   end
   local e = summary.errors
   io.write(string.format(
      'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "non_2xx": %d, '
         .. '"socket": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, "kinds": {%s}}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
      bad, e.connect, e.read, e.write, e.timeout, table.concat(by_kind, ", ")))
end
