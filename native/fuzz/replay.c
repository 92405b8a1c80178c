/*
** replay.c -- run a fuzz target's LLVMFuzzerTestOneInput() over files or
** directories of inputs, without libFuzzer (plain gcc builds, make test).
** Usage: replay PATH...   Exits non-zero if any input cannot be read; a
** finding aborts, as under the fuzzer.
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int nRun = 0;

static int runFile(const char *zPath){
  FILE *f = fopen(zPath, "rb");
  uint8_t *a;
  long n;
  if( f==0 ){ perror(zPath); return 1; }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  a = malloc((size_t)(n>0 ? n : 1));
  if( a==0 || (n>0 && fread(a, 1, (size_t)n, f)!=(size_t)n) ){ fclose(f); free(a); return 1; }
  fclose(f);
  LLVMFuzzerTestOneInput(a, (size_t)n);
  free(a);
  nRun++;
  return 0;
}

static int runPath(const char *zPath){
  struct stat st;
  DIR *d;
  struct dirent *e;
  int nErr = 0;
  if( stat(zPath, &st)!=0 ){ perror(zPath); return 1; }
  if( !S_ISDIR(st.st_mode) ) return runFile(zPath);
  if( (d = opendir(zPath))==0 ){ perror(zPath); return 1; }
  while( (e = readdir(d))!=0 ){
    char z[4096];
    if( e->d_name[0]=='.' ) continue;
    snprintf(z, sizeof(z), "%s/%s", zPath, e->d_name);
    nErr += runPath(z);
  }
  closedir(d);
  return nErr;
}

int main(int argc, char **argv){
  int i, nErr = 0;
  for(i=1; i<argc; i++) nErr += runPath(argv[i]);
  printf("replay %s: %d inputs, %s\n", argc>1 ? argv[1] : "", nRun, nErr ? "UNREADABLE INPUTS" : "ok");
  return nErr ? 1 : 0;
}
