/*
 * /usr/lib/berth/resume-seed: run by the guest's /init right after the VM was restored from a boot
 * snapshot (vm/snapshot/). Every restore of one snapshot starts from the same memory: the same clock
 * (hours or days behind) and the same state of the kernel's random number generator, so two restores
 * would hand dockerd the same "random" TLS keys and container ids unless something new comes in first.
 *
 * Reads one line from stdin, written by the host on the org.berth.resume port:
 *   SECONDS NANOSECONDS HEX      the host's clock (UNIX time) and at least 32 random bytes in hex
 * sets CLOCK_REALTIME to it (nanoseconds: busybox `date -s` takes whole seconds), adds the bytes to the
 * kernel's entropy pool crediting every bit (RNDADDENTROPY) and makes the CRNG reseed from the pool now
 * (RNDRESEEDCRNG) instead of at its next scheduled reseed. Prints one line saying what it did; exits 2
 * on input it cannot use and 1 when the kernel refused, so /init can say so on the console.
 *
 * C, static, because busybox has no way to make these two ioctls. Built by build-image.sh (amd64).
 */
#include <fcntl.h>
#include <linux/random.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MIN_SEED_BYTES 32
#define MAX_SEED_BYTES 128

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int main(void) {
  char line[512];
  char hex[2 * MAX_SEED_BYTES + 2];
  long long seconds;
  long nanoseconds;
  if (!fgets(line, sizeof line, stdin)) {
    fputs("resume-seed: no line from the host\n", stderr);
    return 2;
  }
  if (sscanf(line, "%lld %ld %257s", &seconds, &nanoseconds, hex) != 3 || seconds <= 0 || nanoseconds < 0 ||
      nanoseconds > 999999999) {
    fputs("resume-seed: expected \"SECONDS NANOSECONDS HEX\"\n", stderr);
    return 2;
  }
  size_t hex_length = strlen(hex);
  if (hex_length % 2 != 0 || hex_length / 2 < MIN_SEED_BYTES || hex_length / 2 > MAX_SEED_BYTES) {
    fprintf(stderr, "resume-seed: the seed must be %d to %d bytes of hex\n", MIN_SEED_BYTES, MAX_SEED_BYTES);
    return 2;
  }
  /* struct rand_pool_info with room for the seed: entropy_count (bits), buf_size (bytes), buf. */
  struct {
    int entropy_count;
    int buf_size;
    unsigned char buf[MAX_SEED_BYTES];
  } pool;
  size_t bytes = hex_length / 2;
  for (size_t i = 0; i < bytes; i++) {
    int high = hex_value(hex[2 * i]), low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      fputs("resume-seed: the seed is not hex\n", stderr);
      return 2;
    }
    pool.buf[i] = (unsigned char)(high << 4 | low);
  }
  pool.entropy_count = (int)(bytes * 8);
  pool.buf_size = (int)bytes;

  struct timespec now = {.tv_sec = (time_t)seconds, .tv_nsec = nanoseconds};
  if (clock_settime(CLOCK_REALTIME, &now) != 0) {
    perror("resume-seed: clock_settime");
    return 1;
  }
  int fd = open("/dev/urandom", O_RDWR | O_CLOEXEC);
  if (fd < 0 || ioctl(fd, RNDADDENTROPY, &pool) != 0 || ioctl(fd, RNDRESEEDCRNG) != 0) {
    perror("resume-seed: random pool");
    return 1;
  }
  memset(&pool, 0, sizeof pool);
  close(fd);
  printf("resume-seed: clock set, %zu bits added, random pool reseeded\n", bytes * 8);
  return 0;
}
