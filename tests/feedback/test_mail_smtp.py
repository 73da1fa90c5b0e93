"""Notification e-mail goes through a real SMTP conversation (a minimal server on a loopback port)."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes
from email.policy import default

import pytest

from reviewtracker.consolidation import services
from reviewtracker.extensions import db


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: EHLO, MAIL, RCPT, DATA, QUIT (no STARTTLS offered)."""

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        envelope: dict = {"rcpt": []}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-test\r\n250 8BITMIME\r\n")
            elif verb == "MAIL":
                envelope["from"] = command
                self.wfile.write(b"250 OK\r\n")
            elif verb == "RCPT":
                envelope["rcpt"].append(command.split(":", 1)[1].strip(" <>"))
                self.wfile.write(b"250 OK\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                envelope["message"] = message_from_bytes(data, policy=default)
                self.server.received.append(envelope)
                envelope = {"rcpt": []}
                self.wfile.write(b"250 OK queued\r\n")
            elif verb in ("QUIT",):
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


@pytest.fixture
def smtp_server():
    """A loopback SMTP server recording what it receives; shut down through its own handle."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_returning_an_item_e_mails_its_author_in_their_language(app, world, smtp_server, monkeypatch):
    """With SMTP configured, the author of a returned item receives an e-mail after the commit, in French."""
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", smtp_server.server_address[1])
    author = world.users["contributor"]
    author.locale = "fr"
    db.session.commit()
    services.return_feedback(world.users["focal_point"], world.submitted, "Merci d’indiquer la page.")
    assert smtp_server.received == []  # nothing before the commit
    db.session.commit()
    assert len(smtp_server.received) == 1
    mail = smtp_server.received[0]
    assert mail["rcpt"] == [author.email]
    body = mail["message"].get_content()
    assert "Merci d’indiquer la page." in body
    assert mail["message"]["To"] == author.email
    assert "vous a renvoyé" in body  # the reader's language, not the sender's
