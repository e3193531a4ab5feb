-- wrk script of `cargo xtask bench poll`: every request is a new ballot.
--
-- Usage: wrk -s ballots.lua URL -- POLL_PATH RUN_ID
--   POLL_PATH  path of the ballot endpoint, such as /api/v1/polls/bench/ballots
--   RUN_ID     8 hex digits that make the ids of this run unique
--
-- Each wrk thread numbers its requests. The ballot id (a UUID) and the voter
-- token are built from the run id, the thread number and the request number,
-- so no two requests share either, also when wrk reconnects and builds a new
-- request.
--
-- Each thread keeps the bodies of its unanswered ballots, keyed by ballot
-- id, and drops one when a receipt with that id comes back. At the end the
-- script prints one line "ogkit-bench key=value ..." with the counts and
-- latencies, and one line "ogkit-bench-in-flight BODY" for every ballot
-- still unanswered when wrk stopped. xtask resends those, so that every
-- ballot sent has an answer before it counts the stored ballots.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  path = args[1] or "/api/v1/polls/bench/ballots"
  run_id = args[2] or "00000000"
  sent = 0
  created = 0
  replayed = 0
  other_status = 0
  first_other = ""
  in_flight = {}
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local choices = { "A", "B", "C" }

function request()
  sent = sent + 1
  local serial = string.format("%04x%08x", thread_number, sent)
  local ballot_id = string.format("%s-0000-4000-8000-%s", run_id, serial)
  local token = string.format("bench-%s-%s", run_id, serial)
  local choice = choices[(sent % 3) + 1]
  local body = string.format(
    '{"ballot_id":"%s","selections":{"q":["%s"]},"voter_token":"%s"}',
    ballot_id, choice, token)
  in_flight[ballot_id] = body
  return wrk.format(nil, path, nil, body)
end

function response(status, headers, body)
  if status == 201 or status == 200 then
    if status == 201 then
      created = created + 1
    else
      replayed = replayed + 1
    end
    local ballot_id = string.match(body or "", '"ballot_id":"([^"]+)"')
    if ballot_id then
      in_flight[ballot_id] = nil
    end
  else
    other_status = other_status + 1
    if first_other == "" then
      first_other = status .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

function done(summary, latency, requests)
  local total_created, total_replayed, total_other = 0, 0, 0
  local first = ""
  local unanswered = {}
  for _, thread in ipairs(threads) do
    for _, body in pairs(thread:get("in_flight")) do
      table.insert(unanswered, body)
    end
    total_created = total_created + thread:get("created")
    total_replayed = total_replayed + thread:get("replayed")
    total_other = total_other + thread:get("other_status")
    if first == "" then
      first = thread:get("first_other")
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "ogkit-bench requests=%d duration_us=%d created=%d replayed=%d other_status=%d " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f\n",
    summary.requests, summary.duration, total_created, total_replayed, total_other,
    errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
  for _, body in ipairs(unanswered) do
    io.write("ogkit-bench-in-flight " .. body .. "\n")
  end
  if first ~= "" then
    io.write("ogkit-bench-first-error " .. string.gsub(first, "\n", " ") .. "\n")
  end
end
