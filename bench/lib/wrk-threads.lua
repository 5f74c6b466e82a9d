-- Shared by the wrk scripts of bench/: numbers wrk's threads 1, 2, … in the global thread_id
-- (a global: thread:set cannot reach a script's locals), so each makes its own image_ids.
thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end
