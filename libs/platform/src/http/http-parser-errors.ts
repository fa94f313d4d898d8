import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemDocument, type Problem } from './problem';

type ParserError = Error & { code?: string; rawPacket?: Buffer };

/** A request line starts with a method token and a space. */
const REQUEST_LINE = /^[A-Z]+ /;

/**
 * Over Node's limit of 16 KB for the request line and headers together: the longest line of what
 * was received names the culprit — the request line (the URL, 414) or a header (431).
 */
export function oversizedRequestProblem(rawPacket: Buffer | undefined): Problem {
  const lines = (rawPacket ?? Buffer.alloc(0)).toString('latin1').split('\r\n');
  let longest = -1;
  for (let i = 0; i < lines.length; i++) if (longest < 0 || lines[i].length > lines[longest].length) longest = i;
  const line = longest >= 0 ? lines[longest] : '';
  if (longest === 0 && REQUEST_LINE.test(line)) {
    return problemDocument(414, 'uri_too_long', 'The URL is too long (the request line and headers may take 16 KB)', [
      { field: 'url', message: `${line.length} characters or more` },
    ]);
  }
  const colon = line.indexOf(':');
  const name = colon > 0 && colon < 100 ? line.slice(0, colon).trim() : 'headers';
  return problemDocument(431, 'header_too_large', `The request headers are too large (${name}; the request line and headers may take 16 KB)`, [
    { field: name, message: `${line.length} characters or more` },
  ]);
}

function problemFor(error: ParserError): Problem {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return oversizedRequestProblem(error.rawPacket);
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problemDocument(413, 'chunk_extensions_too_large', 'The chunk extensions of the body are too large', [{ field: 'body', message: 'chunk extensions too large' }]);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problemDocument(408, 'request_timeout', 'The request was not received in time', [{ field: 'request', message: 'not received in time' }]);
    default:
      return problemDocument(400, 'malformed_request', `The request is not valid HTTP/1.1 (${error.code ?? 'parse error'})`, [{ field: 'request', message: error.code ?? 'parse error' }]);
  }
}

function rawResponse(problem: Problem): string {
  const body = JSON.stringify(problem);
  return (
    `HTTP/1.1 ${problem.status} ${problem.title}\r\n` +
    'Content-Type: application/problem+json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/**
 * Requests Node's HTTP parser refuses never reach Express: by default Node writes a bare status
 * line (431 for a URL or header over 16 KB, 400 for malformed HTTP). This answers them as
 * problem+json naming the URL or the header, with Node's own precautions: nothing is written when
 * a response is already under way on the socket, and the socket is closed.
 */
export function answerHttpParserErrors(server: Server): void {
  server.on('clientError', (error: ParserError, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) socket.write(rawResponse(problemFor(error)));
    socket.destroy(error);
  });
}
