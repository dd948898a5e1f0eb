-- wrk script: a realistic mix of EPAS events (mostly heartbeats, like real players), each
-- request a fresh valid event; counts responses per status so the runner can compare the
-- number of 200s with the number of messages in the queue.
local counter = 0
-- THINK_MS: each connection waits that long between requests (near-open-loop load); 0: closed loop
local think = tonumber(os.getenv("THINK_MS") or "0")
if think > 0 then
   function delay()
      return think
   end
end
local thread_id = 0
statuses = {}
local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   thread_id = id or 0
   statuses = {}
end

local mix = {
   -- event, weight, payload
   { "heartbeat", 60, nil },
   { "playing", 6, nil },
   { "paused", 4, nil },
   { "buffering", 4, nil },
   { "buffered", 4, nil },
   { "seeking", 2, nil },
   { "seeked", 2, nil },
   { "bitrate_changed", 5, '{"bitrate":4500,"width":1920,"height":1080,"videoBitrate":4300,"audioBitrate":200}' },
   { "metadata", 3, '{"live":false,"contentTitle":"Big Buck Bunny","contentId":"bbb","contentUrl":"https://cdn.example/bbb.m3u8","deviceType":"tv"}' },
   { "init", 3, nil },
   { "loading", 2, nil },
   { "loaded", 2, nil },
   { "warning", 1, '{"category":"NETWORK","code":"W42","message":"slow segment"}' },
   { "error", 1, '{"category":"DRM","code":"E7","message":"license expired","data":{"retry":false}}' },
   { "stopped", 1, '{"reason":"ended"}' },
}
local wheel = {}
for _, m in ipairs(mix) do
   for _ = 1, m[2] do table.insert(wheel, m) end
end

function request()
   counter = counter + 1
   local m = wheel[(counter % #wheel) + 1]
   local body = string.format(
      '{"event":"%s","sessionId":"bench-%d-%d","timestamp":%d,"playhead":%d,"duration":600000%s}',
      m[1], thread_id, counter, 1700000000000 + counter, counter * 100,
      m[3] and (',"payload":' .. m[3]) or "")
   return wrk.format("POST", "/", { ["Content-Type"] = "text/plain" }, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local totals = {}
   for _, t in ipairs(threads) do
      local s = t:get("statuses")
      for code, n in pairs(s) do totals[code] = (totals[code] or 0) + n end
   end
   for code, n in pairs(totals) do
      io.write(string.format("STATUS %d %d\n", code, n))
   end
   io.write(string.format("LATENCY p50=%.3f p90=%.3f p99=%.3f max=%.3f\n",
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000))
   io.write(string.format("TOTAL requests=%d duration_s=%.2f errors_connect=%d errors_read=%d errors_timeout=%d\n",
      summary.requests, summary.duration / 1e6, summary.errors.connect, summary.errors.read, summary.errors.timeout))
end
