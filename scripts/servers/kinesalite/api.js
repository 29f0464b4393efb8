// Calls one Kinesis API action on a local kinesalite and prints the JSON answer:
//   node api.js PORT ACTION 'JSON-BODY'
// kinesalite wants a signed-looking request but checks no signature; the credentials here are placeholders.
'use strict';
const http = require('http');
const [port, action, body] = process.argv.slice(2);
const request = http.request(
  {
    host: '127.0.0.1',
    port: Number(port),
    method: 'POST',
    path: '/',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'Kinesis_20131202.' + action,
      'X-Amz-Date': new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''),
      Authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/kinesis/aws4_request, '
        + 'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0',
    },
    timeout: 10000,
  },
  (response) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => (text += chunk));
    response.on('end', () => {
      console.log(text);
      process.exit(response.statusCode === 200 ? 0 : 1);
    });
  });
request.on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
request.end(body || '{}');
