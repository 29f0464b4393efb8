// Starts kinesalite (an implementation of the Kinesis Data Streams API) on 127.0.0.1 only: its own command
// line listens on every interface. Streams live in memory; they are gone when the server stops.
//   node server.js PORT
'use strict';
const kinesalite = require('kinesalite');
const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('usage: node server.js PORT');
  process.exit(2);
}
// Streams become ACTIVE (and splits finish) after 50 ms instead of the real service's seconds; up to 100
// shards, so that splitting shards in tests stays within the limit.
const server = kinesalite({createStreamMs: 50, deleteStreamMs: 50, updateStreamMs: 50, shardLimit: 100});
server.listen(port, '127.0.0.1', (err) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log('kinesalite listening on 127.0.0.1:' + port);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
