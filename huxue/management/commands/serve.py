"""Run the whole embedded system in one terminal: web (gunicorn), Celery worker and beat.

Used by `make run`. Production runs the three as separate services (docker-compose.yml)."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.district import DEMO_USERS
from org.models import Role



class Command(BaseCommand):
    help = "Start gunicorn, a Celery worker and Celery beat together; stop all on Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--demo-password", default="")

    def handle(self, *args, host, port, workers, demo_password, **options):
        python = sys.executable
        commands = {
            "web": [python, "-m", "gunicorn", "huxue.wsgi:application", "--bind", f"{host}:{port}",
                    "--workers", str(workers), "--threads", "4", "--access-logfile", "-"],
            "worker": [python, "-m", "celery", "-A", "huxue", "worker", "--loglevel", "INFO",
                       "--concurrency", "2", "--hostname", "huxue-embedded@%h"],
            "beat": [python, "-m", "celery", "-A", "huxue", "beat", "--loglevel", "INFO",
                     "--schedule", str(settings.CELERY_DATA_DIR / "beat-schedule")],
        }
        children = {name: subprocess.Popen(cmd, env=os.environ.copy()) for name, cmd in commands.items()}
        self.banner(host, port, demo_password)

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with code {child.returncode}; stopping.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 10
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()

    def banner(self, host, port, demo_password):
        lines = [
            "",
            f"Huxue 护学 is running at http://{host}:{port}/  (Ctrl-C stops web, worker and beat)",
        ]
        if demo_password:
            lines.append("Demo logins (all with password %s):" % demo_password)
            lines += [
                f"  {username:<12} {Role(role).label:<14} {unit} {name}"
                for username, role, unit, name in DEMO_USERS
            ]
        lines.append("")
        self.stdout.write("\n".join(lines))
