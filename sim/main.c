#include <stdio.h>
int main(void) { fputs("sirisk: not built yet\n", stderr); return 70; }
