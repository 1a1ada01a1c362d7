/* The baseline of scripts/bench-batch: reads a batch file line by line and parses each line with
 * jansson (as policyd loads policies), doing nothing else. What parsing the input costs at all, to
 * put beside policyc's whole process on the same file. Prints the lines parsed and the seconds. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.jsonl\n", argv[0]);
        return 2;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    FILE *file = fopen(argv[1], "r");
    if (!file) {
        perror(argv[1]);
        return 1;
    }
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    long lines = 0;
    while ((length = getline(&line, &capacity, file)) > 0) {
        json_error_t error;
        json_t *value = json_loadb(line, (size_t)length, JSON_DISABLE_EOF_CHECK, &error);
        if (!value) {
            fprintf(stderr, "line %ld: %s\n", lines + 1, error.text);
            return 1;
        }
        json_decref(value);
        lines++;
    }
    free(line);
    fclose(file);
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("%ld %.6f\n", lines, (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
