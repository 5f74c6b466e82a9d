-- wrk script for bench/admissions: varied, realistic admission bodies, each with a fresh
-- image_id (so every request is a new decision, never an idempotent replay).
-- The no-op baseline posts the very same bodies to /_bench/noop.
-- Env: BENCH_PATH (target path), BENCH_DELAY_MS (per-connection pause, for a fixed rate),
-- BENCH_KEY (an API key sent as a bearer token; none in development mode), BENCH_BATCH (lines
-- per request: the same bodies as NDJSON, for POST /v1/admissions/batch), BENCH_PREFIX (starts
-- every image_id: wrk processes run side by side need different ones, bench/instance-scaling).

local templates = {
  [[{"image_id":"%s","source":"instagram","visibility":"public","subject":{"id":"u%s","account_country":"US","age":34},"signals":{"upload_ip_country":"US"},"captured_at":"2026-10-01T09:30:00Z"}]],
  [[{"image_id":"%s","source":"instagram","visibility":"public","subject":{"id":"u%s","account_country":"FR","age":27},"lawful_basis":{"basis":"consent","purposes":["model_training","analytics"],"given_at":"2026-01-15T10:00:00Z"},"signals":{"upload_ip_country":"FR","declared_location_country":"FR"}}]],
  [[{"image_id":"%s","source":"instagram","visibility":"public","subject":{"id":"u%s","account_country":"DE"},"signals":{"upload_ip_country":"DE"}}]],
  [[{"image_id":"%s","source":"flickr","visibility":"followers","subject":{"id":"u%s","account_country":"BR","age":19},"opt_outs":{"ai_training":false,"tdm_reservation":false}}]],
  [[{"image_id":"%s","source":"flickr","visibility":"public","subject":{"id":"u%s","account_country":"JP"},"signals":{"gps":{"lat":35.6762,"lon":139.6503}}}]],
  [[{"image_id":"%s","source":"instagram","visibility":"public","subject":{"id":"u%s","account_country":"US"},"signals":{"gps":{"lat":43.7384,"lon":7.4246}},"special_categories":["health"]}]],
  [[{"image_id":"%s","source":"instagram","visibility":"public","subject":{"id":"u%s","account_country":"GB","age":16},"lawful_basis":{"basis":"legitimate_interests","assessment_ref":"LIA-2026-07"}}]],
  [[{"image_id":"%s","source":"instagram","visibility":"public","subject":{"id":"u%s","account_country":"CA","region":"CA-QC","age":41},"lawful_basis":{"basis":"consent","purposes":["model_training"],"withdrawn_at":"2026-06-01T00:00:00Z"}}]],
}

dofile("bench/lib/wrk-threads.lua")
local counter = 0
local path = os.getenv("BENCH_PATH") or "/v1/admissions"
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local batch = tonumber(os.getenv("BENCH_BATCH") or "0")
local prefix = os.getenv("BENCH_PREFIX") or "t"

function init(args)
  math.randomseed(thread_id * 7919 + os.time())
  wrk.headers["Content-Type"] = batch > 0 and "application/x-ndjson" or "application/json"
  local key = os.getenv("BENCH_KEY")
  if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
end

local function nextBody()
  counter = counter + 1
  local id = string.format("%s%d-%d-%d", prefix, thread_id, os.time(), counter)
  local template = templates[(counter % #templates) + 1]
  return string.format(template, id, counter % 5000)
end

function request()
  if batch == 0 then return wrk.format("POST", path, nil, nextBody()) end
  local lines = {}
  for line = 1, batch do lines[line] = nextBody() end
  return wrk.format("POST", path, nil, table.concat(lines, "\n") .. "\n")
end

if pause > 0 then
  function delay()
    return pause
  end
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.1f decisions_per_s=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.requests * math.max(batch, 1) / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
