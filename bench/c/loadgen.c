/*
 * The default load generator of bench/serve: a Flash-like client with a fixed number of
 * connections in flight, on epoll and non-blocking sockets, so that the generator costs little
 * and the same CPU per connection whichever server answers (the Node generator it replaces spent
 * more per connection against Node servers than against the C server, and set the rate).
 *
 * Each connection binds the next source address in 127.0.0.2-127.0.0.254 (the server's TIME_WAIT
 * states otherwise exhaust the 4-tuples to one port within seconds), connects, sends the 23-byte
 * <policy-file-request/>\0 and reads until the expected byte count or EOF. It succeeds only when
 * the whole policy arrived: EXPECTED bytes ending in the NUL, or EXPECTED-1 bytes and then EOF
 * (a server that sends no NUL); with POLICY-FILE the bytes are compared too.
 *
 * usage: loadgen PORT EXPECTED-BYTES CONCURRENCY DURATION-MS MAX-CONNECTIONS TIMEOUT-MS [POLICY-FILE]
 *   (MAX-CONNECTIONS 0 = no limit). Stops starting connections after DURATION-MS or
 *   MAX-CONNECTIONS, waits for those in flight (each bounded by TIMEOUT-MS), then prints one JSON
 *   line: ok, failed, failures by kind, seconds, p50 and p99 (ms, successful connections), and its
 *   own CPU time (cpu_us). Built by bench/serve/servers.ts with gcc into bench/out/ (git-ignored).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

static const char REQUEST[] = "<policy-file-request/>"; /* sizeof = 23 with the NUL */

enum { F_CONNECT, F_RESET, F_EMPTY, F_PARTIAL, F_TOO_LONG, F_WRONG, F_TIMEOUT, F_KINDS };
static const char *KIND[F_KINDS] = { "connect", "reset", "closed-empty", "partial", "too-long", "wrong-bytes", "timeout" };

struct conn {
  int fd;          /* -1 when the slot is free */
  int sent;        /* request written */
  size_t got;
  double t0;
  char *buf;
};

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static size_t expected;
static char *policy; /* expected bytes, when a policy file was given */
static int port, ep;
static unsigned addr_cursor;
static long ok, failures[F_KINDS], started;
static double *lat;
static size_t lat_n, lat_cap;

static void finish(struct conn *c, int kind) {
  if (kind < 0) {
    if (lat_n == lat_cap) {
      lat_cap = lat_cap ? lat_cap * 2 : 65536;
      lat = realloc(lat, lat_cap * sizeof *lat);
      if (!lat) { perror("realloc"); exit(1); }
    }
    lat[lat_n++] = now_ms() - c->t0;
    ok++;
  } else {
    failures[kind]++;
  }
  /* An abortive close is not used: the client closes after the server, as Flash Player does. */
  close(c->fd);
  c->fd = -1;
}

static int start(struct conn *c) {
  started++;
  c->t0 = now_ms();
  c->sent = 0;
  c->got = 0;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) { perror("socket"); return -1; }
  c->fd = fd;
  int one = 1;
  /* Let connect() pick the source port: the 4-tuple, not the (address, port) pair, must be free. */
  setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  setsockopt(fd, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof one);
  struct sockaddr_in src = { .sin_family = AF_INET };
  addr_cursor = (addr_cursor + 1) % 253;
  src.sin_addr.s_addr = htonl(0x7f000000u | (2 + addr_cursor));
  struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0 ||
      (connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0 && errno != EINPROGRESS)) {
    finish(c, F_CONNECT);
    return 0;
  }
  struct epoll_event ev = { .events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.ptr = c };
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  return 0;
}

static void on_event(struct conn *c, unsigned events) {
  if (!c->sent) {
    int err = 0;
    socklen_t l = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
    if (err) { finish(c, F_CONNECT); return; }
    if (!(events & EPOLLOUT) && !(events & EPOLLIN)) return;
    ssize_t n = send(c->fd, REQUEST, sizeof REQUEST, MSG_NOSIGNAL);
    if (n != (ssize_t)sizeof REQUEST) {
      if (n < 0 && errno == EAGAIN) return;
      finish(c, c->got ? F_PARTIAL : F_RESET);
      return;
    }
    c->sent = 1;
    struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
  }
  for (;;) {
    char tmp[4096];
    ssize_t n = recv(c->fd, tmp, sizeof tmp, 0);
    if (n > 0) {
      if (c->got + (size_t)n > expected) { finish(c, F_TOO_LONG); return; }
      memcpy(c->buf + c->got, tmp, (size_t)n);
      c->got += (size_t)n;
      if (c->got == expected) {
        /* The NUL ends the policy, as it does for Flash Player. */
        int good = c->buf[expected - 1] == 0 && (!policy || memcmp(c->buf, policy, expected) == 0);
        finish(c, good ? -1 : F_WRONG);
        return;
      }
      continue;
    }
    if (n == 0) {
      /* EOF: a success only for a server that sends the whole policy without its NUL. */
      int good = c->got == expected - 1 && (!policy || memcmp(c->buf, policy, expected - 1) == 0);
      finish(c, good ? -1 : c->got == 0 ? F_EMPTY : F_PARTIAL);
      return;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    if (errno == EINTR) continue;
    finish(c, c->got == 0 ? F_RESET : F_PARTIAL);
    return;
  }
}

int main(int argc, char **argv) {
  if (argc < 7 || argc > 8) {
    fprintf(stderr, "usage: loadgen PORT EXPECTED-BYTES CONCURRENCY DURATION-MS MAX-CONNECTIONS TIMEOUT-MS [POLICY-FILE]\n");
    return 2;
  }
  port = atoi(argv[1]);
  expected = (size_t)atol(argv[2]);
  int concurrency = atoi(argv[3]);
  double duration = atof(argv[4]);
  long max_conn = atol(argv[5]);
  double timeout = atof(argv[6]);
  if (port <= 0 || expected < 1 || concurrency < 1 || timeout <= 0) { fprintf(stderr, "loadgen: bad arguments\n"); return 2; }
  if (argc == 8) {
    FILE *f = fopen(argv[7], "rb");
    if (!f) { perror("policy"); return 2; }
    policy = malloc(expected + 1);
    size_t n = fread(policy, 1, expected, f);
    fclose(f);
    if (n == expected - 1) policy[n] = 0; /* the file holds the policy without its NUL */
    else if (n != expected) { fprintf(stderr, "loadgen: policy file has %zu bytes, expected %zu\n", n, expected); return 2; }
  }
  signal(SIGPIPE, SIG_IGN);
  ep = epoll_create1(0);
  struct conn *conns = calloc((size_t)concurrency, sizeof *conns);
  for (int i = 0; i < concurrency; i++) {
    conns[i].fd = -1;
    conns[i].buf = malloc(expected);
  }
  double t0 = now_ms(), until = t0 + duration;
  /* Hard bound: nothing outlives the run plus one connection timeout (plus a little slack). */
  double hard = until + timeout + 1000;
  int in_flight = 0;
  struct epoll_event evs[256];
  double last_sweep = t0;
  for (;;) {
    double t = now_ms();
    int may_start = t < until && (max_conn <= 0 || started < max_conn);
    in_flight = 0;
    for (int i = 0; i < concurrency; i++) {
      if (conns[i].fd < 0 && may_start && (max_conn <= 0 || started < max_conn)) {
        if (start(&conns[i]) < 0) return 1;
      }
      if (conns[i].fd >= 0) in_flight++;
    }
    if (in_flight == 0 && !may_start) break;
    if (t >= hard) {
      for (int i = 0; i < concurrency; i++) if (conns[i].fd >= 0) finish(&conns[i], F_TIMEOUT);
      break;
    }
    int n = epoll_wait(ep, evs, 256, 10);
    for (int i = 0; i < n; i++) {
      struct conn *c = evs[i].data.ptr;
      if (c->fd >= 0) on_event(c, evs[i].events);
    }
    t = now_ms();
    if (t - last_sweep >= 10) {
      last_sweep = t;
      for (int i = 0; i < concurrency; i++)
        if (conns[i].fd >= 0 && t - conns[i].t0 > timeout) finish(&conns[i], F_TIMEOUT);
    }
  }
  double seconds = (now_ms() - t0) / 1e3;
  qsort(lat, lat_n, sizeof *lat, cmp);
  double p50 = lat_n ? lat[(size_t)(0.50 * lat_n) < lat_n ? (size_t)(0.50 * lat_n) : lat_n - 1] : -1;
  double p99 = lat_n ? lat[(size_t)(0.99 * lat_n) < lat_n ? (size_t)(0.99 * lat_n) : lat_n - 1] : -1;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu_us = ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec;
  long failed = 0;
  for (int k = 0; k < F_KINDS; k++) failed += failures[k];
  printf("{\"ok\":%ld,\"failed\":%ld,\"failures\":{", ok, failed);
  int first = 1;
  for (int k = 0; k < F_KINDS; k++)
    if (failures[k]) { printf("%s\"%s\":%ld", first ? "" : ",", KIND[k], failures[k]); first = 0; }
  printf("},\"seconds\":%.6f,\"p50\":%.4f,\"p99\":%.4f,\"cpu_us\":%.0f}\n", seconds, p50, p99, cpu_us);
  return 0;
}
