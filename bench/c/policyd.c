/*
 * The ceiling for bench/serve: the smallest correct blocking Flash socket policy server.
 * accept, read the 23-byte request (however it is split), write the policy and its NUL, close.
 * One connection at a time, no timeout: a benchmark baseline, not a server to deploy.
 *
 * usage: policyd PORT POLICY-FILE      (binds 127.0.0.1; prints "listening PORT" when ready)
 * Built by bench/serve/servers.ts with the machine's gcc into bench/out/ (git-ignored).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char REQUEST[] = "<policy-file-request/>"; /* plus the NUL: 23 bytes */

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: policyd PORT POLICY-FILE\n"); return 2; }
  FILE *f = fopen(argv[2], "rb");
  if (!f) { perror("policy"); return 2; }
  static char policy[65536];
  size_t len = fread(policy, 1, sizeof policy - 1, f);
  fclose(f);
  policy[len++] = '\0'; /* the terminating NUL goes out with the policy */
  signal(SIGPIPE, SIG_IGN);

  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1])) };
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 1024)) { perror("bind"); return 1; }
  socklen_t al = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &al);
  printf("listening %d\n", ntohs(a.sin_port));
  fflush(stdout);

  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    char buf[23];
    size_t got = 0;
    while (got < sizeof buf) {
      ssize_t n = read(c, buf + got, sizeof buf - got);
      if (n <= 0) break;
      got += (size_t)n;
    }
    if (got == sizeof buf && memcmp(buf, REQUEST, sizeof buf) == 0) {
      size_t off = 0;
      while (off < len) {
        ssize_t n = write(c, policy + off, len - off);
        if (n <= 0) break;
        off += (size_t)n;
      }
    }
    close(c);
  }
}
