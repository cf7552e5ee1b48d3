/*
 * standalone.c — replays fuzz corpora without libFuzzer (like libgit2's
 * fuzzers/standalone_driver.c), so that the committed corpora are
 * regression tests under any compiler; `make fuzz-replay` links it with
 * each target and gcc + ASan/UBSan.
 *
 *   fuzz_replay_<target> FILE-OR-FOLDER...
 *
 * Every file given, and every file of every folder given (sorted by name,
 * hidden files skipped, not recursive), is read whole into a buffer of
 * exactly its size and passed to LLVMFuzzerTestOneInput in a child process
 * of its own: one crashing input does not hide the others, and each input
 * is reported by name. A child that dies from a signal, exits non-zero
 * (a sanitizer report, a leak, a failed oracle) or runs longer than
 * FUZZ_REPLAY_TIMEOUT seconds (default 20) fails its input.
 *
 * Prints "FAIL <file>: <why>" for each failed input and ends with the
 * suite line "N passed, N failed" that tests/run.sh understands. Exits 0
 * when every input passed, 1 otherwise, 2 when an argument cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

/* Targets that need no set-up do not define LLVMFuzzerInitialize. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static int passed, failed;
static unsigned timeout_s = 20;

static int read_file(const char *path, unsigned char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return -1;
	for (;;) {
		size_t got;
		if (n == cap) {
			unsigned char *q;
			cap = cap ? cap * 2 : 4096;
			q = realloc(p, cap);
			if (!q) {
				free(p);
				fclose(f);
				return -1;
			}
			p = q;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(p);
		fclose(f);
		return -1;
	}
	fclose(f);
	/* Exactly len bytes, so that ASan sees any read past the end. */
	*out = malloc(n ? n : 1);
	if (!*out) {
		free(p);
		return -1;
	}
	if (n)
		memcpy(*out, p, n);
	free(p);
	*len = n;
	return 0;
}

static void replay(const char *path)
{
	pid_t pid;
	int status;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s: fork: %s\n", path, strerror(errno));
		failed++;
		return;
	}
	if (pid == 0) {
		unsigned char *data = NULL;
		size_t len = 0;
		if (read_file(path, &data, &len) < 0) {
			fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
			_exit(3);
		}
		alarm(timeout_s);
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		exit(0); /* exit, not _exit: LeakSanitizer runs at exit */
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			printf("FAIL %s: waitpid: %s\n", path, strerror(errno));
			failed++;
			return;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		passed++;
		if (getenv("FUZZ_REPLAY_VERBOSE"))
			printf("ok %s\n", path);
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
		printf("FAIL %s: still running after %u s\n", path, timeout_s);
		failed++;
	} else if (WIFSIGNALED(status)) {
		printf("FAIL %s: killed by signal %d (%s)\n", path, WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
		failed++;
	} else {
		printf("FAIL %s: exit status %d\n", path, WEXITSTATUS(status));
		failed++;
	}
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **q;
			cap = cap ? cap * 2 : 64;
			q = realloc(names, cap * sizeof(*names));
			if (!q)
				abort();
			names = q;
		}
		names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!names[n])
			abort();
		sprintf(names[n], "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			replay(names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	const char *t = getenv("FUZZ_REPLAY_TIMEOUT");
	int i;

	if (t && atoi(t) > 0)
		timeout_s = (unsigned)atoi(t);
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE-OR-FOLDER...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i]) < 0) {
				fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
				return 2;
			}
		} else {
			replay(argv[i]);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
