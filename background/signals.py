"""Signals of the background worker, for apps with work to queue when it starts."""

from django.dispatch import Signal

#: Sent by ``manage.py run_worker`` before it takes its first task (arguments:
#: ``batch``). A receiver may queue tasks the worker then runs, e.g. checks that
#: became due while a feature was switched off.
worker_starting = Signal()
