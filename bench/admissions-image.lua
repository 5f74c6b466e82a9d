-- wrk script for bench/images: admissions of a new image_id each, with the same photo
-- (BENCH_IMAGE_B64: a file holding its base64) or, without it, the same metadata alone.
local image = nil
local path = os.getenv("BENCH_IMAGE_B64")
if path and path ~= "" then
  local file = io.open(path, "r")
  image = file:read("*a"):gsub("%s+", "")
  file:close()
end
dofile("bench/lib/wrk-threads.lua")
local counter = 0

function init(args)
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format(
    [[{"image_id":"img-%d-%d-%d","source":"bench","visibility":"public","subject":{"id":"u%d","account_country":"US"}]],
    thread_id, os.time(), counter, counter % 5000)
  if image then body = body .. [[,"image_base64":"]] .. image .. [["]] end
  return wrk.format("POST", "/v1/admissions", nil, body .. "}")
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
