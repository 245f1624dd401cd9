-- wrk script for the citizen's map reads (used by ops/bench/nearby.sh): the public map feed
-- (GET /v1/complaints?near=...) and similar complaints (GET /v1/complaints/similar?...).
--
-- The centres are read from a file of "LAT,LNG" lines (nearby.sh picks them from the seeded database); each
-- thread walks the list from its own offset, so consecutive requests ask about different places.
--
-- Usage: wrk ... -s nearby.lua http://127.0.0.1:PORT -- <feed|all|similar> <points file> <radius m> <category>
--   feed     GET /v1/complaints?near=LAT,LNG&radius_m=R              (open complaints, the default)
--   all      GET /v1/complaints?near=LAT,LNG&radius_m=R&status=all   (every public complaint)
--   similar  GET /v1/complaints/similar?category=C&lat=LAT&lng=LNG   (the server's own radius and days)
-- No response() callback: wrk's own "Non-2xx or 3xx responses" line counts failures, and the responses are not
-- handed to Lua (which would slow wrk down on these larger bodies, and not on /healthz).

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  local mode, file, radius, category = args[1], args[2], args[3] or "1000", args[4] or "jalan_rusak"
  requests = {}
  for line in io.lines(file) do
    local lat, lng = line:match("^%s*(-?[%d.]+)%s*,%s*(-?[%d.]+)%s*$")
    if lat then
      local path
      if mode == "feed" then
        path = "/v1/complaints?near=" .. lat .. "," .. lng .. "&radius_m=" .. radius
      elseif mode == "all" then
        path = "/v1/complaints?near=" .. lat .. "," .. lng .. "&radius_m=" .. radius .. "&status=all"
      elseif mode == "similar" then
        path = "/v1/complaints/similar?category=" .. category .. "&lat=" .. lat .. "&lng=" .. lng
      else
        error("nearby.lua: mode must be feed, all or similar, not " .. tostring(mode))
      end
      table.insert(requests, wrk.format("GET", path))
    end
  end
  if #requests == 0 then error("nearby.lua: no LAT,LNG lines in " .. tostring(file)) end
  -- Threads start far apart in the list (a golden-ratio step, whatever the number of threads).
  n = math.floor((tid - 1) * #requests * 0.618) % #requests
end

function request()
  n = n + 1
  return requests[n % #requests + 1]
end
