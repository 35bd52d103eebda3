"""A minimal SMTP server on loopback that keeps every message it receives (for "every mail sent exactly once")."""

import socketserver
import threading
from email import message_from_bytes, policy
from email.message import Message


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 dx-cluster-sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 dx-cluster-sink")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                chunks = []
                while True:
                    data = self.rfile.readline()
                    if data in {b".\r\n", b".\n", b""}:
                        break
                    chunks.append(data[1:] if data.startswith(b"..") else data)
                self.server.sink.keep(message_from_bytes(b"".join(chunks), policy=policy.default))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP, …
                self.reply("250 ok")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.messages: list[Message] = []
        self._lock = threading.Lock()
        self._server = _Server((host, port), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def keep(self, message: Message) -> None:
        with self._lock:
            self.messages.append(message)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
