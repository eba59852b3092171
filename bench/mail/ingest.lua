-- ingest.lua - wrk script for bench/mail/run: POST a mixed corpus of
-- real messages to /api/v1/mail/inbound, each request a new message (its
-- Message-ID rewritten to a unique one, so nothing is a duplicate).
local files = {}
local counter = 0
local thread_id = 0

local threads = {}
function setup(thread)
	thread:set("tid", #threads + 1)
	table.insert(threads, thread)
end

function init(args)
	local list = io.open(args[1], "r")
	for path in list:lines() do
		local f = io.open(path, "rb")
		local body = f:read("*a")
		f:close()
		-- Drop the old Message-ID header line (if any); a new one goes
		-- first per request.
		body = body:gsub("\n[Mm][Ee][Ss][Ss][Aa][Gg][Ee]%-[Ii][Dd]:[^\n]*", "\n", 1)
		table.insert(files, body)
	end
	list:close()
	thread_id = tid or 1
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "message/rfc822"
	wrk.headers["Authorization"] = "Bearer " .. args[2]
end

function request()
	counter = counter + 1
	local body = files[(counter % #files) + 1]
	local mid = string.format("Message-ID: <bench-%d-%d-%d@bench.example>\r\n",
		thread_id, counter, os.time())
	return wrk.format(nil, "/api/v1/mail/inbound?source=api", nil, mid .. body)
end

local bad = 0
function response(status, headers, body)
	if status ~= 201 then
		bad = bad + 1
		if bad <= 3 then
			io.stderr:write("status " .. status .. ": " .. body:sub(1, 200) .. "\n")
		end
	end
end
