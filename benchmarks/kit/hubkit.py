"""A real JupyterHub on loopback for the hub tests (tests/hub) and the load run (benchmarks/hub_load.py).

The hub uses a shared-password authenticator and jupyterhub's ``SimpleLocalProcessSpawner`` (no system
users: each learner gets a home under the run's temp folder), its ``configurable-http-proxy`` from the
project-local npm prefix (``.venv/node``, installed by the Makefile), a temp database and an admin API
token that only this process knows. The course reaches learners as it does on a real hub: through its
nbgitpuller link (``coursekit links``) pointing at a bare clone of this checkout served over git's smart
HTTP protocol (``git http-backend``) on loopback.

Every process is started here and stopped here by its own handle: the hub stops the learners' servers
and the proxy it started; whatever of its process tree outlives it is ended by pid.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from benchmarks.kit.net import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCAL_PROXY = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
REPO_NAME = "coursekit"  # the folder nbgitpuller clones into, in each learner's home
MODULE_1 = "01-intelligent-sales-foundation.ipynb"


def proxy_path() -> str | None:
    if LOCAL_PROXY.exists():
        return str(LOCAL_PROXY)
    return shutil.which("configurable-http-proxy")


def missing() -> str | None:
    """Why a hub cannot be started here, in one line, or None."""
    for module, pip_name in (("jupyterhub", "jupyterhub"), ("nbgitpuller", "nbgitpuller")):
        try:
            __import__(module)
        except ImportError:
            return f"{pip_name} not installed (pip install -e '.[test]')"
    if not (BIN / "jupyterhub-singleuser").exists():
        return f"jupyterhub-singleuser not found beside {sys.executable}"
    if not shutil.which("git"):
        return "git not installed"
    if not proxy_path():
        why = "npm not installed" if not shutil.which("npm") else "npm install failed"
        return f"configurable-http-proxy not installed ({why}; make install runs npm install --prefix .venv/node configurable-http-proxy)"
    if not shutil.which("node"):
        return "node not installed (configurable-http-proxy runs on Node.js)"
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode:
        return f"{ROOT} is not a git checkout (the course reaches learners as a git repository)"
    return None


# --- the course as a git repository on loopback ---------------------------------------------------

def bare_repo(dest: Path) -> Path:
    """A bare repository holding this checkout's HEAD as branch ``main``, as a course fork would on GitHub."""
    repo = dest / REPO_NAME
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    subprocess.run(["git", "-C", str(ROOT), "push", "-q", str(repo), "HEAD:refs/heads/main"], check=True)
    subprocess.run(["git", "--git-dir", str(repo), "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    return repo


class _GitHTTP(BaseHTTPRequestHandler):
    """git's smart HTTP protocol through ``git http-backend`` (CGI), so shallow clones work as on GitHub."""

    def do_GET(self) -> None:
        self._backend()

    def do_POST(self) -> None:
        self._backend()

    def log_message(self, *args: Any) -> None:
        pass

    def _backend(self) -> None:
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        env = {"PATH": os.environ.get("PATH", ""), "GIT_PROJECT_ROOT": self.server.git_root, "GIT_HTTP_EXPORT_ALL": "1",  # type: ignore[attr-defined]
               "PATH_INFO": unquote(path), "QUERY_STRING": query, "REQUEST_METHOD": self.command, "REMOTE_ADDR": "127.0.0.1",
               "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(length),
               "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""), "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", "")}
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        sep = b"\r\n\r\n" if b"\r\n\r\n" in out else b"\n\n"
        head, _, payload = out.partition(sep)
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@contextlib.contextmanager
def git_server(folder: Path) -> Iterator[str]:
    """Serve the bare repositories in ``folder`` on loopback; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GitHTTP)
    server.git_root = str(folder)  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def course_link(hub_url: str, repo_url: str, notebook: str = MODULE_1) -> str:
    """The nbgitpuller link for ``notebook`` exactly as ``coursekit links`` prints it."""
    out = subprocess.run([str(BIN / "coursekit"), "links", "--hub", hub_url, "--repo", repo_url, "--branch", "main",
                          "--content", str(ROOT / "content")], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 2 and cells[0] == notebook:
            return cells[1]
    raise LookupError(f"coursekit links printed no link for {notebook}:\n{out}")


# --- the hub ----------------------------------------------------------------------------------------

@dataclass
class Hub:
    url: str
    work: Path
    token: str
    password: str
    proc: subprocess.Popen
    log: Path
    extra: dict = field(default_factory=dict)

    def home(self, user: str) -> Path:
        return self.work / "home" / user

    def api(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
        """The hub's REST API (``/hub/api/...``) or a learner server's (``/user/NAME/api/...``), as the admin service."""
        url = self.url + (path if path.startswith("/user/") else "/hub/api" + path)
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def create_learners(self, names: list[str]) -> None:
        self.api("POST", "/users", {"usernames": names})

    def start_server(self, name: str) -> None:
        try:
            self.api("POST", f"/users/{name}/server", {})
        except urllib.error.HTTPError as exc:
            if exc.code != 400:  # 400: already running
                raise

    def wait_ready(self, name: str, seconds: float = 180) -> None:
        """Until the hub says the learner's server is ready and it answers through the proxy."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.check_alive()
            server = (self.api("GET", f"/users/{name}").get("servers") or {}).get("")
            if server and server.get("ready"):
                with contextlib.suppress(OSError):
                    self.api("GET", f"/user/{name}/api/status")
                    return
            time.sleep(0.25)
        raise TimeoutError(f"{name}'s server not ready after {seconds:.0f} s; hub log: {self.log}")

    def stop_server(self, name: str) -> None:
        with contextlib.suppress(urllib.error.HTTPError):
            self.api("DELETE", f"/users/{name}/server")

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise RuntimeError(f"jupyterhub exited with code {self.proc.returncode}; log: {self.log}")


def _config(work: Path, port: int, proxy: str, token: str, password: str, learner_env: dict[str, str]) -> str:
    settings = {
        "JupyterHub.bind_url": f"http://127.0.0.1:{port}",
        "JupyterHub.hub_ip": "127.0.0.1",
        "JupyterHub.hub_port": free_port(),
        "JupyterHub.db_url": f"sqlite:///{work / 'jupyterhub.sqlite'}",
        "JupyterHub.cookie_secret_file": str(work / "jupyterhub_cookie_secret"),
        "JupyterHub.pid_file": str(work / "jupyterhub.pid"),
        "JupyterHub.authenticator_class": "shared-password",
        "SharedPasswordAuthenticator.user_password": password,
        "Authenticator.allow_all": True,
        "JupyterHub.spawner_class": "simple",
        "SimpleLocalProcessSpawner.home_dir_template": str(work / "home" / "{username}"),
        "Spawner.cmd": [str(BIN / "jupyterhub-singleuser")],
        "Spawner.args": ["--allow-root"] if os.geteuid() == 0 else [],
        "Spawner.default_url": "/lab",
        "Spawner.environment": learner_env,
        "Spawner.start_timeout": 240,
        "Spawner.http_timeout": 240,
        "JupyterHub.concurrent_spawn_limit": 0,
        "ConfigurableHTTPProxy.command": [proxy],
        "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{free_port()}",
        "ConfigurableHTTPProxy.pid_file": str(work / "proxy.pid"),
        "JupyterHub.services": [{"name": "coursekit-admin", "api_token": token}],
        "JupyterHub.load_roles": [{"name": "coursekit-admin", "services": ["coursekit-admin"],
                                   "scopes": ["admin:users", "admin:servers", "access:servers"]}],
    }
    return "".join(f"c.{k} = {v!r}\n" for k, v in settings.items())  # Python literals only


@contextlib.contextmanager
def running_hub(work: Path, learner_env: dict[str, str] | None = None) -> Iterator[Hub]:
    """Start a hub over ``work`` (a fresh folder); stop it and everything it started on exit, even on failure.
    ``learner_env`` is set in every learner's server, as a hub's config does (e.g. ``COURSEKIT_EXCHANGE``)."""
    import psutil

    proxy = proxy_path()
    assert proxy, missing()
    work.mkdir(parents=True, exist_ok=True)
    port, token, password = free_port(), secrets.token_hex(32), secrets.token_urlsafe(18)
    (work / "jupyterhub_config.py").write_text(_config(work, port, proxy, token, password, learner_env or {}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEKIT_")}  # learners get the default ~/.coursekit
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    log = work / "jupyterhub.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(work / "jupyterhub_config.py")], cwd=work, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    hub = Hub(f"http://127.0.0.1:{port}", work, token, password, proc, log)
    try:
        end = time.monotonic() + 120
        while True:
            hub.check_alive()
            try:
                hub.api("GET", "/")
                break
            except OSError:
                if time.monotonic() > end:
                    raise TimeoutError(f"jupyterhub did not answer on {hub.url} in 120 s; log: {log}") from None
                time.sleep(0.3)
        yield hub
    finally:
        try:
            tree = psutil.Process(proc.pid).children(recursive=True)
        except psutil.Error:
            tree = []
        proc.terminate()  # the hub stops the learners' servers and its proxy on a clean shutdown
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        for child in tree:  # whatever it started and did not stop
            with contextlib.suppress(psutil.Error):
                child.terminate()
        _, alive = psutil.wait_procs(tree, timeout=10)
        for child in alive:
            with contextlib.suppress(psutil.Error):
                child.kill()


def execute(hub: Hub, name: str, notebook: str, cells: list[str]) -> list[str]:
    """Run ``cells`` in a new kernel of ``name``'s server (a session on ``notebook``, so the kernel starts in its
    folder), over the kernel's websocket through the proxy as JupyterLab does: in order, each waiting for its
    reply, stopping at an error. Returns what each cell printed."""
    import websocket

    sess = hub.api("POST", f"/user/{name}/api/sessions", {"path": notebook, "type": "notebook", "name": Path(notebook).name,
                                                          "kernel": {"name": "python3"}}, timeout=300)
    session = uuid.uuid4().hex
    url = hub.url.replace("http://", "ws://") + f"/user/{name}/api/kernels/{sess['kernel']['id']}/channels?session_id={session}"
    ws = websocket.create_connection(url, header=[f"Authorization: token {hub.token}"], timeout=600)
    printed: list[str] = []
    try:
        def request(msg_type: str, content: dict) -> dict:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({"header": {"msg_id": msg_id, "username": name, "session": session, "msg_type": msg_type,
                                           "version": "5.3"}, "parent_header": {}, "metadata": {}, "content": content,
                                "channel": "shell", "buffers": []}))
            reply, idle = None, msg_type != "execute_request"  # outputs come only from executing code
            while reply is None or not idle:  # the reply can come before the outputs: the kernel's "idle" comes after them
                frame = ws.recv()
                if isinstance(frame, bytes):  # widget messages with binary buffers: not a reply
                    continue
                msg = json.loads(frame)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg.get("msg_type") == "stream":
                    printed[-1] += msg["content"]["text"]
                elif msg.get("msg_type") == "status" and msg["content"].get("execution_state") == "idle":
                    idle = True
                elif msg.get("channel") == "shell":
                    reply = msg["content"]
            return reply

        request("kernel_info_request", {})
        for i, code in enumerate(cells):
            printed.append("")
            reply = request("execute_request", {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                                                "allow_stdin": False, "stop_on_error": True})
            if reply.get("status") != "ok":
                raise RuntimeError(f"{name}: cell {i + 1} of {notebook}: {reply.get('ename')}: {reply.get('evalue')}")
    finally:
        ws.close()
    return printed


def seed_learner_settings(home: Path) -> None:
    """What the course's image (binder/postBuild) sets in every home: no news prompt over the notebook."""
    folder = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
