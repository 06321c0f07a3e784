import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Http1Response, Http1ResponseReader, MAX_HEAD_BYTES } from './http1-response.js';

/** Feeds `text` to a new reader in pieces of `step` bytes; what it answered, and after how many. */
function read(text: string | Buffer, step = Number.POSITIVE_INFINITY, maxBody = 1024) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const reader = new Http1ResponseReader(maxBody);
  for (let at = 0; at < bytes.length; at += Math.min(step, bytes.length)) {
    const answer = reader.push(bytes.subarray(at, at + step));
    if (answer !== undefined)
      return { answer, consumed: Math.min(at + step, bytes.length), reader };
  }
  return { answer: undefined, consumed: bytes.length, reader };
}

function whole(text: string, step?: number): Http1Response {
  const { answer } = read(text, step);
  assert.ok(answer !== undefined && !(answer instanceof Error), `read whole: ${answer}`);
  return answer;
}

describe('HTTP/1.x response reader', () => {
  it('reads a Content-Length body, however the bytes are split', () => {
    const text =
      'HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 5\r\n\r\nhello';
    for (const step of [1, 2, 7, text.length]) {
      const response = whole(text, step);
      assert.equal(response.status, 200);
      assert.equal(response.statusMessage, 'OK');
      assert.equal(response.headers['content-type'], 'application/x-protobuf');
      assert.equal(response.body.toString(), 'hello');
      assert.equal(response.reusable, true);
    }
  });

  it('reads a chunked body with extensions and trailers, byte by byte', () => {
    const text =
      'HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '4;ext=1\r\nbad \r\nA\r\nspan: 0123\r\n0\r\nX-Trailer: t\r\n\r\n';
    for (const step of [1, 3, text.length]) {
      const { answer, consumed } = read(text, step);
      assert.ok(answer !== undefined && !(answer instanceof Error));
      assert.equal(consumed, text.length, 'answered once the trailers ended');
      assert.equal(answer.status, 400);
      assert.equal(answer.body.toString(), 'bad span: 0123');
      assert.equal(answer.reusable, true);
    }
    assert.equal(
      whole('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n').body.length,
      0,
    );
  });

  it('reads a body without a length up to the end of the connection, and never reuses it', () => {
    const { answer, reader } = read('HTTP/1.1 200 OK\r\n\r\npart one, ');
    assert.equal(answer, undefined, 'more may come until the connection ends');
    assert.equal(reader.push(Buffer.from('part two')), undefined);
    const response = reader.end();
    assert.ok(!(response instanceof Error));
    assert.equal(response.body.toString(), 'part one, part two');
    assert.equal(response.reusable, false);
  });

  it('skips interim 1xx responses and reads none for 204', () => {
    const response = whole(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n',
    );
    assert.equal(response.status, 204);
    assert.equal(response.headers['x-a'], '1');
    assert.equal(response.body.length, 0);
    assert.ok(read('HTTP/1.1 101 Switching Protocols\r\n\r\n').answer instanceof Error);
  });

  it('keeps the connection only for HTTP/1.1 without Connection: close and with nothing left over', () => {
    assert.equal(
      whole('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').reusable,
      false,
    );
    assert.equal(
      whole('HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n')
        .reusable,
      false,
    );
    assert.equal(whole('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').reusable, false);
    assert.equal(
      whole('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').reusable,
      true,
    );
    assert.equal(
      whole('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK').reusable,
      false,
    );
  });

  it('joins repeated headers and reads header names in any case', () => {
    const response = whole(
      'HTTP/1.1 503 Busy\r\nRetry-After: 3\r\nX-Many: a\r\nx-many: b\r\ncontent-length: 0\r\n\r\n',
    );
    assert.equal(response.headers['retry-after'], '3');
    assert.equal(response.headers['x-many'], 'a, b');
    assert.equal(response.statusMessage, 'Busy');
  });

  it('fails on what is not an HTTP/1.x response, and on a cut-off one', () => {
    for (const text of [
      'SSH-2.0-OpenSSH_9.2\r\n\r\n',
      'HTTP/2 200\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY',
    ]) {
      assert.ok(read(text).answer instanceof Error, JSON.stringify(text));
    }
    // The server's bytes in a message are quoted: no terminal control character reaches a log.
    const hostile = read('HTTP/1.1 200 OK\r\nContent-Length: 1\x1b[2J\r\n\r\n').answer;
    assert.ok(hostile instanceof Error);
    assert.ok(!hostile.message.includes('\x1b'), hostile.message);
    assert.match(hostile.message, /\\u001b\[2J/);
    const cut = read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    assert.equal(cut.answer, undefined);
    const ended = cut.reader.end();
    assert.ok(ended instanceof Error);
    assert.match(ended.message, /middle of a response/);
    assert.equal(cut.reader.head?.status, 200, 'the status is known though the body was cut off');
    const empty = new Http1ResponseReader(10).end();
    assert.ok(empty instanceof Error);
    assert.match(empty.message, /before a response/);
  });

  it('stops at a body or a head past its limit, without waiting for the rest', () => {
    const declared = read('HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n', undefined, 1024);
    assert.ok(declared.answer instanceof Error);
    assert.match(declared.answer.message, /exceeded 1024 bytes/);
    const chunked = read(
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n${'x'.repeat(1024)}\r\n1\r\ny`,
      100,
      1024,
    );
    assert.ok(chunked.answer instanceof Error);
    assert.match(chunked.answer.message, /exceeded/);
    const unbounded = read(`HTTP/1.1 200 OK\r\n\r\n${'x'.repeat(1100)}`, 100, 1024);
    assert.ok(unbounded.answer instanceof Error);
    const head = read(`HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(MAX_HEAD_BYTES)}`, 4096);
    assert.ok(head.answer instanceof Error);
    assert.match(head.answer.message, /head exceeded/);
  });
});
