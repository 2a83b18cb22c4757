// The node-service template's sample service: Node's own http module only.
//
//   GET /health    200 "ok", or 503 once told to fail
//   GET /fail      from now on /health answers 503
//   GET /recover   /health answers 200 again
//   anything else  200 "hello"
//
// Listens on 0.0.0.0:$PORT (default 8080). SIGTERM ends it with status 0, as
// a service should end on `docker stop` (lucid-init forwards the signal).
'use strict';
const http = require('http');

let failing = false;
const server = http.createServer((req, res) => {
  let status = 200;
  let body = 'hello\n';
  if (req.url === '/health') {
    status = failing ? 503 : 200;
    body = failing ? 'failing\n' : 'ok\n';
  } else if (req.url === '/fail') {
    failing = true;
    body = '/health fails from now on\n';
  } else if (req.url === '/recover') {
    failing = false;
    body = '/health recovered\n';
  }
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});

const port = Number(process.env.PORT || 8080);
server.listen(port, '0.0.0.0', () => console.error(`node-service: listening on port ${port}`));
process.on('SIGTERM', () => {
  console.error('node-service: stopping');
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
});
