"""A real SMTP listener on 127.0.0.1 whose behaviour a test switches: refuse, hang, accept."""

from __future__ import annotations

import asyncio
import threading


class SwitchableMailbox:
    """aiosmtpd handler. ``mode``: "accept" (250), "hang" (no answer to RCPT for
    ``hang_seconds``, longer than the client's timeout) or "refuse" (451 to DATA)."""

    def __init__(self, mode: str = "accept", hang_seconds: float = 60) -> None:
        self.mode = mode
        self.hang_seconds = hang_seconds
        self.received: list[tuple[list[str], str]] = []
        self.connections = 0
        self.hanging = threading.Event()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "hang":
            self.hanging.set()
            await asyncio.sleep(self.hang_seconds)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.mode == "refuse":
            return "451 4.3.0 Temporary failure, try again later"
        self.received.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"
