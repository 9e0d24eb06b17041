/*
 * A reference for bench/serve: the smallest Node server that answers a Flash policy request —
 * no framing check, no deadline, no connection limits, no counters. It answers the first chunk
 * with the policy and its NUL and closes. Not a server to deploy: it shows what Node's net module
 * costs per connection under the same generator, the floor any Node policy server stands on.
 *
 * usage: node minimal-node.cjs POLICY-FILE   (binds 127.0.0.1 on a free port; prints "listening PORT")
 */
'use strict';
const net = require('node:net');
const fs = require('node:fs');

const response = Buffer.concat([fs.readFileSync(process.argv[2]), Buffer.alloc(1)]);
const server = net.createServer((socket) => {
  socket.on('error', () => {});
  socket.on('data', () => {
    socket.write(response);
    socket.destroy();
  });
});
server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
