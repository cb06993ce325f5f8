/* hello.c: semihosting output test: WRITE0, WRITE and WRITEC, then exit code 3. */
#include "semihost.h"

int main(void);

int main(void)
{
    static const char c = '!';

    sh_puts("hello, ");
    sh_write("world", 5);
    semihost(0x03, &c); /* SYS_WRITEC */
    return 3;
}
