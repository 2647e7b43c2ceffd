# Drives a command on a pseudo-terminal (for the interactive intake tests): python3 pty-drive.py STEPS cmd args...
# STEPS is JSON [[text to wait for, keys to type], ...]; prints everything the command wrote; exits with its code
# (90 when an expected text never appeared).
import json, os, pty, select, sys, time
steps = json.loads(sys.argv[1])
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''
def read_until(text, timeout=20):
    global out
    end = time.time() + timeout
    while time.time() < end:
        if text.encode() in out: return True
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try: data = os.read(fd, 65536)
            except OSError: return False
            if not data: return False
            out += data
    return False
for wait, keys in steps:
    if not read_until(wait):
        sys.stdout.write(out.decode('utf8', 'replace')); sys.stderr.write(f'\ntimed out waiting for {wait!r}\n'); os.kill(pid, 9); sys.exit(90)
    time.sleep(0.05)
    os.write(fd, keys.encode())
read_until('\x00', timeout=3)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status))
