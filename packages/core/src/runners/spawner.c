/*
 * The command runner's native spawner: the same job as spawner.mjs (a small long-lived process
 * that starts jobs' commands for the server), with posix_spawn() instead of Node's fork(). A
 * fork copies the page tables of the process that calls it, a Node process of some 45 MB even
 * when it is as small as spawner.mjs: on the 2-core VM of docs/performance.md a fork and exec of
 * /bin/true took 5.3 ms from Node and 1.7 ms here, where glibc starts the child with vfork
 * semantics and nothing is copied. Built at `npm run build` when a C compiler is found
 * (scripts/build-spawner.mjs); without it, spawner.mjs is used.
 *
 * Frames, both ways, over stdin and stdout: a 32-bit little-endian length of what follows, then
 * the body.
 *   in:  u32 id, u32 argc, u32 envc, then NUL-terminated strings: cwd, pid file, program,
 *        argc arguments (the program's own name first), envc "NAME=value" entries.
 *   out: u8 type, u32 id, then by type:
 *        'R' ready (id 0, sent once at the start: until then the server sends nothing, so a
 *        spawner that cannot run here is known before it could have started anything);
 *        'S' spawned: i32 pid;  'O' output: the bytes;  'X' exited: i32 code (-1: by a signal),
 *        i32 signal (0: none);  'E' did not start: i32 errno.
 * The command's stdout and stderr are one pipe (the job keeps one log of both, in the order they
 * came). Its stdin is /dev/null; it leads a session of its own (so its group can be killed
 * whole); its signals are at their defaults. When stdin ends, the server is gone: this process
 * leaves, and the commands live on, detached, for the recovery to find (kill-leftovers.ts); their
 * output pipe has no reader then, so a command that writes again ends by SIGPIPE, as with
 * spawner.mjs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* After a command exits, how long its pipe may stay open (a child that left its group holds it). */
#define DRAIN_MS 1000

struct job {
  uint32_t id;
  pid_t pid;
  int out;        /* read end of the command's stdout and stderr; -1 once closed */
  int exited;     /* reaped */
  int code, sig;  /* how it ended */
  double deadline; /* when to stop waiting for the pipe after the exit */
};

static struct job *jobs;
static size_t njobs, capjobs;
static int wake[2]; /* SIGCHLD writes a byte here */

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Writes every byte of the iovecs to stdout, resuming after partial writes. */
static void write_all(struct iovec *iov, int count) {
  while (count > 0) {
    ssize_t n = writev(1, iov, count);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) _exit(0); /* the server is gone */
    while (count > 0 && (size_t)n >= iov->iov_len) {
      n -= (ssize_t)iov->iov_len;
      iov++;
      count--;
    }
    if (count > 0) {
      iov->iov_base = (char *)iov->iov_base + n;
      iov->iov_len -= (size_t)n;
    }
  }
}

static void put32(unsigned char *p, uint32_t v) {
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

static uint32_t get32(const unsigned char *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void reply(char type, uint32_t id, const void *payload, size_t size) {
  unsigned char head[9];
  put32(head, (uint32_t)(5 + size));
  head[4] = (unsigned char)type;
  put32(head + 5, id);
  /* One write a frame: the server reads whole frames, and a job's start costs one syscall less. */
  struct iovec iov[2] = {{head, sizeof head}, {(void *)payload, size}};
  write_all(iov, size > 0 ? 2 : 1);
}

static void reply_ints(char type, uint32_t id, int a, int b, int count) {
  unsigned char body[8];
  put32(body, (uint32_t)a);
  put32(body + 4, (uint32_t)b);
  reply(type, id, body, (size_t)count * 4);
}

static void on_sigchld(int sig) {
  (void)sig;
  int saved = errno;
  char byte = 0;
  (void)!write(wake[1], &byte, 1);
  errno = saved;
}

/* The value of NAME in a "NAME=value" list, as the command will see it. */
static const char *env_value(char **env, const char *name) {
  size_t len = strlen(name);
  for (; *env; env++)
    if (strncmp(*env, name, len) == 0 && (*env)[len] == '=') return *env + len + 1;
  return NULL;
}

/*
 * posix_spawn() of the file at `path`; a file the kernel cannot run (ENOEXEC: a script with no
 * `#!` line) runs through /bin/sh, as execvp, and so Node's spawn, does.
 */
static int spawn_file(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                      const posix_spawnattr_t *attr, char **argv, char **env) {
  int error = posix_spawn(pid, path, actions, attr, argv, env);
  if (error != ENOEXEC) return error;
  size_t argc = 0;
  while (argv[argc]) argc++;
  char **script = calloc(argc + 2, sizeof *script);
  if (!script) return ENOMEM;
  script[0] = "/bin/sh";
  script[1] = (char *)path;
  for (size_t i = 1; i < argc; i++) script[i + 1] = argv[i];
  error = posix_spawn(pid, "/bin/sh", actions, attr, script, env);
  free(script);
  return error;
}

/*
 * spawn_file() of `program`, looked up in the command's own PATH when it names no folder, as
 * Node's spawn does (posix_spawnp would search this process's PATH).
 */
static int spawn_in_path(pid_t *pid, const char *program, const posix_spawn_file_actions_t *actions,
                         const posix_spawnattr_t *attr, char **argv, char **env) {
  if (strchr(program, '/')) return spawn_file(pid, program, actions, attr, argv, env);
  const char *path = env_value(env, "PATH");
  if (path == NULL) path = "/usr/local/bin:/usr/bin:/bin";
  int first = ENOENT;
  char candidate[4096];
  for (const char *start = path;; ) {
    const char *end = strchr(start, ':');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    int n = len == 0 ? snprintf(candidate, sizeof candidate, "%s", program)
                     : snprintf(candidate, sizeof candidate, "%.*s/%s", (int)len, start, program);
    if (n > 0 && (size_t)n < sizeof candidate) {
      int error = spawn_file(pid, candidate, actions, attr, argv, env);
      if (error == 0) return 0;
      /* As execvp: a file that is there but cannot run is the answer, unless a later one runs. */
      if (error != ENOENT && error != ENOTDIR && first == ENOENT) first = error;
    }
    if (!end) break;
    start = end + 1;
  }
  return first;
}

static void write_pid_file(const char *path, pid_t pid) {
  /* Written before the server hears of the process: whoever recovers the job after a crash finds
     the process group to kill (and, failing that, the job's folder in its environment). */
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return; /* an unwritable folder (a full disk): the environment still names the job */
  char text[16];
  int n = snprintf(text, sizeof text, "%d", (int)pid);
  (void)!write(fd, text, (size_t)n);
  close(fd);
}

/* The spawn's setup. Each call can fail (ENOMEM), and a command must never start in the wrong
   folder or without its output: the first failure is the start's error. */
static int prepare(posix_spawn_file_actions_t *actions, posix_spawnattr_t *attr, int out, const char *cwd) {
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  int error;
  if ((error = posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0)) != 0 ||
      (error = posix_spawn_file_actions_adddup2(actions, out, 1)) != 0 ||
      (error = posix_spawn_file_actions_adddup2(actions, out, 2)) != 0 ||
      (error = posix_spawn_file_actions_addchdir_np(actions, cwd)) != 0 ||
      (error = posix_spawnattr_setsigdefault(attr, &all)) != 0 ||
      (error = posix_spawnattr_setsigmask(attr, &none)) != 0)
    return error;
  return posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
}

static void start(const unsigned char *body, size_t size) {
  if (size < 4) return;
  uint32_t id = get32(body);
  if (size < 12) {
    reply_ints('E', id, EINVAL, 0, 1);
    return;
  }
  uint32_t argc = get32(body + 4), envc = get32(body + 8);
  /* Each string is one byte at least: counts past the frame's size are a malformed frame. */
  if (argc == 0 || argc > size || envc > size) {
    reply_ints('E', id, EINVAL, 0, 1);
    return;
  }
  uint32_t count = 3 + argc + envc;
  char **strings = calloc(count + 2, sizeof *strings);
  if (!strings) _exit(1);
  const char *p = (const char *)body + 12, *end = (const char *)body + size;
  for (uint32_t i = 0; i < count; i++) {
    const char *nul = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
    if (!nul) {
      free(strings);
      reply_ints('E', id, EINVAL, 0, 1);
      return;
    }
    strings[i] = (char *)p;
    p = nul + 1;
  }
  const char *cwd = strings[0], *pid_file = strings[1], *program = strings[2];
  /* argv and envp are NULL-terminated runs of `strings`: shift the env one place to end argv. */
  char **argv = strings + 3;
  char **env = strings + 3 + argc + 1;
  memmove(env, strings + 3 + argc, envc * sizeof *strings);
  argv[argc] = NULL;
  env[envc] = NULL;

  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    reply_ints('E', id, errno, 0, 1);
    free(strings);
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  pid_t pid = 0;
  int error = posix_spawn_file_actions_init(&actions);
  if (error == 0 && (error = posix_spawnattr_init(&attr)) != 0) posix_spawn_file_actions_destroy(&actions);
  if (error == 0) {
    error = prepare(&actions, &attr, out[1], cwd);
    if (error == 0) error = spawn_in_path(&pid, program, &actions, &attr, argv, env);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  close(out[1]);
  if (error != 0) {
    close(out[0]);
    reply_ints('E', id, error, 0, 1);
    free(strings);
    return;
  }
  write_pid_file(pid_file, pid);
  free(strings);
  if (njobs == capjobs) {
    capjobs = capjobs ? capjobs * 2 : 16;
    jobs = realloc(jobs, capjobs * sizeof *jobs);
    if (!jobs) _exit(1);
  }
  jobs[njobs++] = (struct job){.id = id, .pid = pid, .out = out[0]};
  reply_ints('S', id, pid, 0, 1);
}

/* Tells the server a job has ended once its process is reaped and its output all read. */
static void finish(size_t i) {
  struct job *job = &jobs[i];
  if (job->out >= 0) close(job->out);
  reply_ints('X', job->id, job->code, job->sig, 2);
  jobs[i] = jobs[--njobs];
}

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (size_t i = 0; i < njobs; i++) {
      /* One that exited already (draining its pipe) may have had this pid before it was reused. */
      if (jobs[i].pid != pid || jobs[i].exited) continue;
      jobs[i].exited = 1;
      jobs[i].code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      jobs[i].sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
      jobs[i].deadline = now_ms() + DRAIN_MS;
      /* Whatever the program left running in its group (background children) ends with it. */
      kill(-pid, SIGKILL);
      break;
    }
  }
}

/* Input frames read so far and not yet whole. */
static unsigned char *inbuf;
static size_t inlen, incap;

static int read_requests(void) {
  if (incap - inlen < 65536) {
    incap = incap ? incap * 2 : 131072;
    inbuf = realloc(inbuf, incap);
    if (!inbuf) _exit(1);
  }
  ssize_t n = read(0, inbuf + inlen, incap - inlen);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return 0;
  inlen += (size_t)n;
  size_t used = 0;
  while (inlen - used >= 4) {
    uint32_t size = get32(inbuf + used);
    if (inlen - used - 4 < size) break;
    start(inbuf + used + 4, size);
    used += 4 + size;
  }
  memmove(inbuf, inbuf + used, inlen - used);
  inlen -= used;
  return 1;
}

int main(void) {
  /* Ctrl-C reaches the whole foreground group, this process with the server; the server's
     shutdown lets running commands finish, which needs this process to hear their ends. It
     leaves with the server (stdin's end). */
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) return 1;
  struct sigaction action = {0};
  action.sa_handler = on_sigchld;
  action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &action, NULL);
  fcntl(0, F_SETFD, FD_CLOEXEC);
  fcntl(1, F_SETFD, FD_CLOEXEC);
  reply('R', 0, NULL, 0);

  struct pollfd *fds = NULL;
  size_t capfds = 0;
  static unsigned char chunk[65536];
  for (;;) {
    if (capfds < njobs + 2) {
      capfds = (njobs + 2) * 2;
      fds = realloc(fds, capfds * sizeof *fds);
      if (!fds) return 1;
    }
    fds[0] = (struct pollfd){.fd = 0, .events = POLLIN};
    fds[1] = (struct pollfd){.fd = wake[0], .events = POLLIN};
    double now = now_ms(), next = -1;
    for (size_t i = 0; i < njobs; i++) {
      /* A pipe closed before its process ended is -1, which poll() passes over. */
      fds[i + 2] = (struct pollfd){.fd = jobs[i].out, .events = POLLIN};
      if (jobs[i].exited && (next < 0 || jobs[i].deadline < next)) next = jobs[i].deadline;
    }
    int timeout = next < 0 ? -1 : next <= now ? 0 : (int)(next - now) + 1;
    size_t polled = njobs;
    if (poll(fds, polled + 2, timeout) < 0 && errno != EINTR) return 1;

    if (fds[1].revents & POLLIN) {
      char drain[64];
      while (read(wake[0], drain, sizeof drain) > 0) {
      }
    }
    reap();
    /* Output before requests and ends, so an end is told after the last of its output. */
    for (size_t i = 0; i < polled; i++) {
      if (!(fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(jobs[i].out, chunk, sizeof chunk);
      if (n > 0) reply('O', jobs[i].id, chunk, (size_t)n);
      else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(jobs[i].out);
        jobs[i].out = -1;
      }
    }
    now = now_ms();
    for (size_t i = njobs; i-- > 0;)
      if (jobs[i].exited && (jobs[i].out < 0 || jobs[i].deadline <= now)) finish(i);
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && !read_requests()) return 0;
  }
}
