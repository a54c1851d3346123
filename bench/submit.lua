-- One fresh order link per request. BENCH_SUBMITS names a file whose lines are
-- "PATH<TAB>BODY<TAB>COOKIE"; each wrk thread takes every n-th line.
local lines = {}
local counter = 1
local threads = {}

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  local n = 0
  local total = 2
  for line in io.lines(os.getenv("BENCH_SUBMITS")) do
    n = n + 1
    if n % total == id - 1 then
      table.insert(lines, line)
    end
  end
  idx = 0
end

function request()
  idx = idx + 1
  local line = lines[idx]
  if line == nil then
    return wrk.format("GET", "/healthz")
  end
  local path, body, cookie = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)")
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["Referer"] = "http://127.0.0.1" .. path,
  }, body)
end
