// The Go twin of gort's examples/hello: print one line, exit.
package main

import "os"

func main() {
	os.Stdout.WriteString("hello, world\n")
}
