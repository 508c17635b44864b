-- wrk script: conditional PutItems as an SDK sends them (keep-alive; wrk
-- reuses its connections), over 10,000 keys, with the realistic condition
-- of benches/realistic.rs and its names and values. `:v` grows with every
-- request, and across runs (it starts from the clock, ten million per
-- second), so the condition holds and every put is a create or a checked
-- overwrite.
local n = (os.time() % 100000000) * 10000000
local headers = {
  ["Content-Type"] = "application/x-amz-json-1.0",
  ["X-Amz-Target"] = "DynamoDB_20120810.PutItem",
}
local template = '{"TableName":"bench","Item":{"pk":{"S":"user#%08d"},"v":{"N":"%d"},'
  .. '"payload":{"S":"payload: some thirty bytes of text"}},'
  .. '"ConditionExpression":"attribute_not_exists(pk) OR (#v < :v AND begins_with(payload, :p))",'
  .. '"ExpressionAttributeNames":{"#v":"v"},'
  .. '"ExpressionAttributeValues":{":v":{"N":"%d"},":p":{"S":"payload"}}}'

request = function()
  n = n + 1
  local body = string.format(template, n % 10000, n, n)
  return wrk.format("POST", "/", headers, body)
end
