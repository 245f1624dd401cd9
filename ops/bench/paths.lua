-- wrk script that walks a list of request paths (one per line in a file), each thread from its own offset, so that
-- consecutive requests ask for different things. Used by ops/bench/open311.sh.
--
-- Usage: wrk ... -s paths.lua http://127.0.0.1:PORT -- <paths file>
-- No response() callback: wrk's own "Non-2xx or 3xx responses" line counts failures.

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    if line:match("^/") then table.insert(requests, wrk.format("GET", line)) end
  end
  if #requests == 0 then error("paths.lua: no paths in " .. tostring(args[1])) end
  index = math.floor(((tid or 1) - 1) * 0.618 * #requests) % #requests
end

function request()
  index = index % #requests + 1
  return requests[index]
end
