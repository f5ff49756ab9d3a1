"""Outgoing email over SMTP, when ``WOLFPACK_SMTP_URL`` names a server."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qsl, unquote, urlsplit

from server.config import Settings

log = logging.getLogger(__name__)

# Seconds to connect or to get an answer: a request sending mail waits this long.
SMTP_TIMEOUT = 10


def send_mail(settings: Settings, to: str, subject: str, text: str) -> bool:
    """Send a plain-text email; return whether the server took it.

    Without ``WOLFPACK_SMTP_URL`` nothing is sent. A server that refuses or does
    not answer is logged, not raised: what the email says is also shown on screen.
    With a username, STARTTLS is used unless the URL says ``?starttls=false``.
    """
    if not settings.smtp_url:
        return False
    url = urlsplit(settings.smtp_url)
    options = dict(parse_qsl(url.query))
    # A username means credentials: never sent in the clear unless told so.
    starttls = options.get("starttls", "true" if url.username else "false") == "true"
    try:
        message = EmailMessage()
        message["From"] = settings.mail_from
        message["To"] = to
        message["Subject"] = " ".join(subject.split())  # one line, whatever names hold
        message.set_content(text)
        if url.scheme == "smtps":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                url.hostname or "localhost",
                url.port or 465,
                timeout=SMTP_TIMEOUT,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(
                url.hostname or "localhost", url.port or 25, timeout=SMTP_TIMEOUT
            )
        with smtp:
            if starttls and url.scheme == "smtp":
                smtp.starttls(context=ssl.create_default_context())
            if url.username:
                smtp.login(unquote(url.username), unquote(url.password or ""))
            smtp.send_message(message)
    except (OSError, ValueError, smtplib.SMTPException) as error:
        log.warning("Could not email %s: %s", to, error)
        return False
    return True
