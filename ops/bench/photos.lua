-- wrk script for POST /v1/complaints with one photo (used by ops/bench/photos.sh).
--
-- Every request is a multipart/form-data body with a `complaint` part (JSON; the description ends in
-- "#<run>-<thread>-<n>") and one `photo` part: the test JPEG, read once per thread in init().
--
-- The server stores photo files by content (the same bytes twice are one file), so sending the very same
-- JPEG each time would skip writing the three files after the first request. Each request's photo is
-- therefore a distinct image: 30 entries of the JPEG's luminance quantisation table (zigzag 1-30, at byte
-- offset <qoffset>, found by photos.sh) are each kept or raised by one according to the bits of a variant
-- number. The entropy-coded data is untouched, so the file stays a valid JPEG of the same size, but it
-- decodes to slightly different pixels: the original, the public copy and the thumbnail all differ.
-- Variant = phase * 2^24 + (thread - 1) * 2^18 + n, so phases (warm-up, bench, rss...) never repeat one.
--
-- Usage: wrk ... -s photos.lua http://127.0.0.1:PORT/v1/complaints -- <image.jpg> <qoffset> <run-tag> <phase>
-- After the run it prints one line "photos-lua: responses=N 2xx=N 503=N other=N statuses=201:N,..."
-- and, if a request failed with something other than 503, one sample failure body.

local BITS = 30
local boundary = "aduan-bench-7f3a91c2e05d4b68"

-- setup() runs in the main Lua state once per wrk thread: give each thread its own id.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

-- init() runs inside each thread's own Lua state.
function init(args)
  local path, qoffset = args[1], tonumber(args[2])
  run = args[3] or "run"
  phase = tonumber(args[4] or "0")
  assert(path and qoffset, "usage: -- <image.jpg> <qoffset> <run-tag> <phase>")
  assert(tid <= 64 and phase < 64, "at most 64 threads and 64 phases")
  local f = assert(io.open(path, "rb"))
  local image = f:read("*a")
  f:close()
  -- The image around the 30 table entries (qoffset is 0-based; Lua strings are 1-based).
  before = string.sub(image, 1, qoffset)
  after = string.sub(image, qoffset + BITS + 1)
  table0 = { string.byte(image, qoffset + 1, qoffset + BITS) }
  for _, q in ipairs(table0) do assert(q < 255, "quantisation entry already 255") end
  head = "--" .. boundary .. "\r\n" ..
    'Content-Disposition: form-data; name="complaint"\r\n' ..
    "Content-Type: application/json\r\n\r\n"
  middle = "\r\n--" .. boundary .. "\r\n" ..
    'Content-Disposition: form-data; name="photo"; filename="photo.jpg"\r\n' ..
    "Content-Type: image/jpeg\r\n\r\n"
  tail = "\r\n--" .. boundary .. "--\r\n"
  n = 0
  statuses = {}
  sample = nil
end

local headers = { ["Content-Type"] = "multipart/form-data; boundary=" .. boundary }

-- The 30 table bytes of one variant.
local function table_bytes(variant)
  local out = {}
  for k = 1, BITS do
    out[k] = table0[k] + variant % 2
    variant = math.floor(variant / 2)
  end
  return string.char(unpack(out))
end

function request()
  n = n + 1
  assert(n < 262144, "more than 2^18 requests in one thread")
  local variant = phase * 16777216 + (tid - 1) * 262144 + n
  local complaint = '{"category":"sampah",' ..
    '"description":"Sampah menumpuk di pinggir jalan, foto terlampir. #' .. run .. '-' .. tid .. '-' .. n .. '",' ..
    '"region":"18.71.01"}'
  local body = head .. complaint .. middle .. before .. table_bytes(variant) .. after .. tail
  return wrk.format("POST", "/v1/complaints", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if (status < 200 or status > 299) and status ~= 503 and sample == nil then
    sample = status .. " " .. string.sub(string.gsub(body or "", "%s+", " "), 1, 300)
  end
end

-- done() runs in the main state: add up the per-thread counters.
function done(summary, latency, requests)
  local total, ok, busy, other, sample_out = 0, 0, 0, 0, nil
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + count
      total = total + count
      if status >= 200 and status <= 299 then ok = ok + count
      elseif status == 503 then busy = busy + count
      else other = other + count end
    end
    sample_out = sample_out or thread:get("sample")
  end
  local codes = {}
  for status in pairs(merged) do table.insert(codes, status) end
  table.sort(codes)
  local parts = {}
  for _, status in ipairs(codes) do table.insert(parts, status .. ":" .. merged[status]) end
  io.write(string.format("photos-lua: responses=%d 2xx=%d 503=%d other=%d statuses=%s\n",
    total, ok, busy, other, table.concat(parts, ",")))
  if sample_out then io.write("photos-lua: first failure: " .. sample_out .. "\n") end
end
