/*
 * http-load HOST PORT REQUESTS CONCURRENCY [TIMEOUT_MS]: REQUESTS GETs of / over a new TCP connection
 * each (HTTP/1.0), CONCURRENCY at a time, and one JSON line: requests, failures, seconds, p50/p99/max
 * in ms, the first failure. Built static (gcc -static) so the same client runs on this computer and
 * inside the VM (a busybox container), and the two sides are measured the same way: the VM has no Node
 * and busybox's wget would time its own process start. See http-load.ts.
 *
 * http-load serve PORT: the server of that test, answering every request with 200 "hello" from one
 * thread, no fork (busybox httpd forks a process per request, which under TCG is the bottleneck, not
 * the forwarding being measured).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in target;
static int total, timeout_ms;
static int next_index;
static int failures;
static double *latencies;
static char first_failure[160];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void fail(const char *what) {
  pthread_mutex_lock(&lock);
  failures++;
  if (!first_failure[0]) snprintf(first_failure, sizeof first_failure, "%s", what);
  pthread_mutex_unlock(&lock);
}

/* One request; 0 and its latency on a 200 answer read to its end. */
static int request(double *ms) {
  static const char get[] = "GET / HTTP/1.0\r\nHost: load\r\n\r\n";
  char buffer[4096], what[120];
  double started = now_ms();
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return fail("socket"), -1;
  struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&target, sizeof target) != 0) {
    snprintf(what, sizeof what, "connect: %s", strerror(errno));
    close(fd);
    return fail(what), -1;
  }
  if (write(fd, get, sizeof get - 1) != (ssize_t)(sizeof get - 1)) {
    snprintf(what, sizeof what, "write: %s", strerror(errno));
    close(fd);
    return fail(what), -1;
  }
  size_t have = 0;
  ssize_t n;
  char head[16] = {0};
  while ((n = read(fd, buffer, sizeof buffer)) > 0) {
    for (ssize_t i = 0; i < n && have < sizeof head - 1; i++) head[have++] = buffer[i];
    if (have >= sizeof head - 1) have = sizeof head; /* enough of the status line */
  }
  int error = n < 0 ? errno : 0;
  close(fd);
  if (n < 0) {
    snprintf(what, sizeof what, "read: %s", strerror(error));
    return fail(what), -1;
  }
  if (strncmp(head, "HTTP/1.", 7) != 0 || strncmp(head + 9, "200", 3) != 0) {
    snprintf(what, sizeof what, "answer: %.12s", head[0] ? head : "(empty)");
    return fail(what), -1;
  }
  *ms = now_ms() - started;
  return 0;
}

static void *worker(void *unused) {
  (void)unused;
  for (;;) {
    int index = __atomic_fetch_add(&next_index, 1, __ATOMIC_RELAXED);
    if (index >= total) return NULL;
    double ms;
    latencies[index] = request(&ms) == 0 ? ms : -1;
  }
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int serve(int port) {
  static const char answer[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n";
  int listener = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
  if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1024) != 0) {
    perror("http-load serve");
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);
  for (;;) {
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) continue;
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buffer[4096];
    size_t have = 0;
    ssize_t n;
    /* Up to the end of the request's head. */
    while (have < sizeof buffer - 1 && (n = read(fd, buffer + have, sizeof buffer - 1 - have)) > 0) {
      have += n;
      buffer[have] = 0;
      if (strstr(buffer, "\r\n\r\n")) break;
    }
    if (write(fd, answer, sizeof answer - 1) < 0) { /* the client went away */ }
    close(fd);
  }
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "serve") == 0) return serve(atoi(argv[2]));
  if (argc < 5) {
    fprintf(stderr, "usage: http-load HOST PORT REQUESTS CONCURRENCY [TIMEOUT_MS] | http-load serve PORT\n");
    return 2;
  }
  target.sin_family = AF_INET;
  target.sin_port = htons(atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &target.sin_addr) != 1) {
    fprintf(stderr, "http-load: HOST must be an IPv4 address, not %s\n", argv[1]);
    return 2;
  }
  total = atoi(argv[3]);
  int concurrency = atoi(argv[4]);
  timeout_ms = argc > 5 ? atoi(argv[5]) : 30000;
  if (total <= 0 || concurrency <= 0 || concurrency > 1000) {
    fprintf(stderr, "http-load: REQUESTS must be > 0 and CONCURRENCY 1-1000\n");
    return 2;
  }
  latencies = calloc(total, sizeof *latencies);
  pthread_t *threads = calloc(concurrency, sizeof *threads);
  double started = now_ms();
  for (int i = 0; i < concurrency; i++) pthread_create(&threads[i], NULL, worker, NULL);
  for (int i = 0; i < concurrency; i++) pthread_join(threads[i], NULL);
  double seconds = (now_ms() - started) / 1e3;
  int ok = 0;
  for (int i = 0; i < total; i++)
    if (latencies[i] >= 0) latencies[ok++] = latencies[i];
  qsort(latencies, ok, sizeof *latencies, by_value);
  double p50 = ok ? latencies[(ok - 1) / 2] : 0, p99 = ok ? latencies[(int)((ok - 1) * 0.99)] : 0;
  double max = ok ? latencies[ok - 1] : 0;
  for (char *c = first_failure; *c; c++)
    if (*c == '"' || *c == '\\') *c = ' ';
  printf("{\"requests\":%d,\"failures\":%d,\"seconds\":%.3f,\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f,\"firstFailure\":\"%s\"}\n",
         total, failures, seconds, p50, p99, max, first_failure);
  return 0;
}
