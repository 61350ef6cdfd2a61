// calico-selector runs Calico's own selector package (libcalico-go/lib/selector, from the Go
// module proxy at the version go.mod pins) for kubectl federate's differential test and
// benchmark. It never imitates Calico: every verdict it prints comes from that package.
//
//	calico-selector check          JSON lines on stdin, one verdict line per selector on stdout
//	calico-selector extract FILE…  every string literal of the Go files, one JSON string a line
//	calico-selector bench          ns per evaluation of each selector over the label maps
//
// Input lines of check and bench: {"labels": [{"k": "v"}, …]} replaces the label maps;
// {"sel": "…"} is a selector. check answers each selector with
// {"ok": bool, "canon": String(), "reparsed": String() of Parse(String()), "matches": "0110…"}
// (one digit per label map). bench answers with {"sel", "matched", "min_ns", "median_ns"}:
// how many maps the selector matches, and ns per evaluation (fastest and median round).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"runtime"
	"sort"
	"strconv"
	"syscall"
	"time"
	"unsafe"

	"github.com/projectcalico/calico/libcalico-go/lib/selector"
	"github.com/sirupsen/logrus"
)

type input struct {
	Labels []map[string]string `json:"labels"`
	Sel    *string             `json:"sel"`
}

type verdict struct {
	Ok       bool   `json:"ok"`
	Canon    string `json:"canon"`
	Reparsed string `json:"reparsed"`
	Matches  string `json:"matches"`
}

type timing struct {
	Sel      string  `json:"sel"`
	Matched  int     `json:"matched"`
	MinNs    float64 `json:"min_ns"`
	MedianNs float64 `json:"median_ns"`
}

func main() {
	logrus.SetLevel(logrus.WarnLevel)
	if len(os.Args) < 2 {
		fail("usage: calico-selector check|extract FILE…|bench")
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	switch os.Args[1] {
	case "check":
		each(func(labels []map[string]string, sel string) { check(enc, labels, sel) })
	case "bench":
		rounds := envInt("ROUNDS", 7)
		each(func(labels []map[string]string, sel string) { bench(enc, labels, sel, rounds) })
	case "extract":
		for _, file := range os.Args[2:] {
			extract(enc, file)
		}
	default:
		fail("unknown mode " + os.Args[1])
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "calico-selector:", msg)
	os.Exit(2)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func each(f func(labels []map[string]string, sel string)) {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<30)
	var labels []map[string]string
	for in.Scan() {
		var line input
		if err := json.Unmarshal(in.Bytes(), &line); err != nil {
			fail("bad input line: " + err.Error())
		}
		if line.Labels != nil {
			labels = line.Labels
		}
		if line.Sel != nil {
			f(labels, *line.Sel)
		}
	}
	if err := in.Err(); err != nil {
		fail(err.Error())
	}
}

func check(enc *json.Encoder, labels []map[string]string, sel string) {
	var v verdict
	parsed, err := selector.Parse(sel)
	if err == nil {
		v.Ok = true
		v.Canon = parsed.String()
		if again, err := selector.Parse(v.Canon); err == nil {
			v.Reparsed = again.String()
		}
		matches := make([]byte, len(labels))
		for i, l := range labels {
			matches[i] = '0'
			if parsed.Evaluate(l) {
				matches[i] = '1'
			}
		}
		v.Matches = string(matches)
	}
	if err := enc.Encode(v); err != nil {
		fail(err.Error())
	}
}

// bench times Evaluate over every label map, in rounds of about 20 ms each, and reports the
// fastest and the median round as nanoseconds per evaluation. Rounds are timed in this thread's
// CPU time, as the Rust side times them, so that time other processes take on shared cores is
// not counted.
func bench(enc *json.Encoder, labels []map[string]string, sel string, rounds int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	parsed, err := selector.Parse(sel)
	if err != nil {
		fail("bench: " + sel + ": " + err.Error())
	}
	once := 0
	for _, l := range labels {
		if parsed.Evaluate(l) {
			once++
		}
	}
	matched := 0
	pass := func() {
		for _, l := range labels {
			if parsed.Evaluate(l) {
				matched++
			}
		}
	}
	// Calibrate the number of passes per round to about 20 ms.
	passes := 1
	for {
		start := time.Now()
		for i := 0; i < passes; i++ {
			pass()
		}
		if time.Since(start) > 20*time.Millisecond || passes > 1<<20 {
			break
		}
		passes *= 2
	}
	perEval := make([]float64, rounds)
	for r := range perEval {
		start := threadCPU()
		for i := 0; i < passes; i++ {
			pass()
		}
		perEval[r] = float64((threadCPU() - start).Nanoseconds()) / float64(passes*len(labels))
	}
	sort.Float64s(perEval)
	if matched < 0 {
		fmt.Fprintln(os.Stderr, matched)
	}
	if err := enc.Encode(timing{Sel: sel, Matched: once, MinNs: perEval[0], MedianNs: perEval[rounds/2]}); err != nil {
		fail(err.Error())
	}
}

// threadCPU is the CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID).
func threadCPU() time.Duration {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	_, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	if errno != 0 {
		fail("clock_gettime: " + errno.Error())
	}
	return time.Duration(ts.Nano())
}

// extract prints every string literal of a Go source file: Calico's test tables hold their
// selectors as literals, so this yields all of them (and some other strings, harmless as input).
func extract(enc *json.Encoder, file string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		fail(err.Error())
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				if err := enc.Encode(s); err != nil {
					fail(err.Error())
				}
			}
		}
		return true
	})
}
