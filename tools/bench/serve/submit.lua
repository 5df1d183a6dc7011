-- wrk script: durable commands over HTTP, each connection submitting
-- dossiers of its own (ids never repeat), to the campaign in CAMPAIGN.
--   wrk -t2 -c64 -d10s --latency -s submit.lua http://127.0.0.1:PORT
-- Env: TOKEN (an administrator's or applicant's bearer token), CAMPAIGN.
local token = os.getenv("TOKEN")
local campaign = os.getenv("CAMPAIGN")
local counter = 0
local threads = {}
-- thread_id is a global each thread gets from setup() (a local here would
-- shadow it, and every thread would submit the same ids).

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- Distinct across wrk runs too: the start time is part of every id.
  prefix = "w" .. os.time() .. "-" .. thread_id .. "-"
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"campaignId":"' .. campaign .. '","application":{"applicantName":"Commune de Banc",' ..
    '"applicantKind":"commune","title":"Projet de mesure","summary":"Un dossier du banc HTTP.",' ..
    '"contact":{"name":"B. Ench","email":"bench@example.fr"}}}'
end

function request()
  counter = counter + 1
  return wrk.format(nil, "/v1/dossiers/" .. prefix .. counter .. "/submit")
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"name":"http.command.submit","requests":%d,"seconds":%.3f,"commands_per_s":%.1f,' ..
    '"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"errors":%d,"non_2xx":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors, summary.errors.status))
end
