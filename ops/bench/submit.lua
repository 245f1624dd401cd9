-- wrk script for POST /v1/complaints (used by ops/bench/submit.sh).
--
-- Every request carries a distinct body: the description ends in "#<run>-<thread>-<n>", so no two
-- requests of one benchmark (warm-up included) are identical. The mix rotates over 10 categories,
-- 5 kecamatan codes, and every third request gives a Bandar Lampung location instead of a region.
--
-- Usage: wrk ... -s submit.lua http://127.0.0.1:PORT -- <run-tag>
-- After the run it prints one line "submit-lua: responses=N 2xx=N non2xx=N statuses=201:N,..."
-- and, if anything failed, one sample failure body.

local categories = {
  "sampah", "drainase", "lampu_jalan", "banjir", "pungli",
  "samsat", "ketertiban_umum", "ktp_kk", "parkir_liar", "lainnya",
}
-- Kecamatan codes from config/catalog/lampung/regions.csv: Kedaton, Sukarame (Bandar Lampung),
-- Metro Pusat (Metro), Natar (Lampung Selatan), Balik Bukit (Lampung Barat).
local regions = { "18.71.01", "18.71.02", "18.72.01", "18.01.04", "18.04.04" }
local location = '"location":{"lat":-5.4292,"lng":105.2610}'  -- Telukbetung Utara, Bandar Lampung

-- setup() runs in the main Lua state once per wrk thread: give each thread its own id.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

-- init() runs inside each thread's own Lua state.
function init(args)
  run = args[1] or "run"
  -- "anonymous": every complaint anonymous, with a name and phone that the server seals; "named": the same, not
  -- anonymous (the baseline for the cost of sealing); anything else: a name only, as before.
  identity = args[2]
  n = 0
  statuses = {}
  sample = nil
end

local headers = { ["Content-Type"] = "application/json" }

-- The reporter part of the body (and, with an identity mode, no messages: the dispatcher's work is not measured).
function reporter()
  if identity == "anonymous" or identity == "named" then
    return '"reporter":{"name":"Warga ' .. n .. '","phone":"0812' .. string.format("%08d", n % 100000000) .. '"},' ..
      '"notify":false,"anonymous":' .. (identity == "anonymous" and "true" or "false")
  end
  return '"reporter":{"name":"Warga ' .. n .. '"}'
end

function request()
  n = n + 1
  local k = n + tid * 7            -- offset threads so they do not march in lockstep
  local category = categories[k % #categories + 1]
  local place
  if k % 3 == 0 then
    place = location
  else
    -- (k // 10) so that, over 50 requests, every category meets every region
    place = '"region":"' .. regions[math.floor(k / #categories) % #regions + 1] .. '"'
  end
  local body = '{"category":"' .. category .. '",' ..
    '"description":"Sampah menumpuk di depan pasar sejak 3 hari, mohon diangkut. #' ..
    run .. '-' .. tid .. '-' .. n .. '",' ..
    place .. ',' ..
    reporter() .. ',"visibility":"public"}'
  return wrk.format("POST", "/v1/complaints", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if (status < 200 or status > 299) and sample == nil then
    sample = status .. " " .. string.sub(string.gsub(body or "", "%s+", " "), 1, 300)
  end
end

-- done() runs in the main state: add up the per-thread counters.
function done(summary, latency, requests)
  local total, ok, bad, sample_out = 0, 0, 0, nil
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + count
      total = total + count
      if status >= 200 and status <= 299 then ok = ok + count else bad = bad + count end
    end
    sample_out = sample_out or thread:get("sample")
  end
  local codes = {}
  for status in pairs(merged) do table.insert(codes, status) end
  table.sort(codes)
  local parts = {}
  for _, status in ipairs(codes) do table.insert(parts, status .. ":" .. merged[status]) end
  io.write(string.format("submit-lua: responses=%d 2xx=%d non2xx=%d statuses=%s\n",
    total, ok, bad, table.concat(parts, ",")))
  if sample_out then io.write("submit-lua: first failure: " .. sample_out .. "\n") end
end
