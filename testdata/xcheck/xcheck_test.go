// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// TestCrossCheck compares every number and structure layout written by
// hand in package ipc with golang.org/x/sys, for every target in
// go tool dist list: it type-checks ipc (function bodies included) and
// x/sys/unix, x/sys/windows or x/sys/plan9 from source with each target's
// build constraints and types.SizesFor("gc", GOARCH), and then
//
//   - finds, in ipc, every numeric constant (package-level, and those
//     declared inside functions, named func.name or Type.method.name),
//     every package-level integer variable whose initialiser holds an
//     integer literal (such as a map from runtime.GOOS to a number), and
//     every struct type whose fields could mirror a C structure (numbers,
//     arrays, pointers, unsafe.Pointer, and such structs; a field of a
//     string, slice, map, chan, func, interface or bool, or of a type from
//     a package other than ipc, syscall and unsafe, marks a Go-only type,
//     which is skipped);
//   - requires each to match exactly one entry of the table in
//     table_test.go for that target, which either maps it to x/sys (sys: a
//     constant expression over x/sys names, or a struct type whose size and
//     fields' offsets and sizes must match), or, where x/sys lacks it,
//     names the header or document that defines it and gives the value or
//     layout found there (lacking, want), or says why it is not an OS
//     number at all (internal), or why it is compiled for that GOOS but not
//     used there (unused);
//   - compares every constant of package syscall that ipc uses with the
//     x/sys constant of the same name, and, for every syscall struct type
//     ipc uses, its size and the offsets and sizes of the fields ipc uses
//     with x/sys's type of that name.
//
// A table entry that matches nothing on any target fails the test too, so
// the table follows the package. Not covered: integer literals inside
// function bodies (name them as constants) and types declared inside
// functions.
//
// Adding to the table. When ipc gains a constant, a variable with a
// literal or a C-like struct type, the test fails with one message per
// name, saying where it is declared and suggesting the entries to add, one
// per group of GOOS: sys where x/sys has a constant or struct of a similar
// name (_SO_PEERPIDFD: SO_PEERPIDFD; errorPipeBusy: ERROR_PIPE_BUSY;
// xucred: Xucred) with the same value, with a warning where the values
// differ (one of the two is wrong: check the header before choosing); else
// a lacking entry whose want is ipc's current value or layout and whose
// text is to be completed with the header, to be checked against that
// header (copying ipc's own value unchecked proves nothing); else internal
// or unused with a reason. Paste the entries into table_test.go, using the
// GOOS groups there (linuxOS, bsdOS, ...), and run make xcheck again.
//
// Run it with make xcheck (or go test in this directory). It needs the
// go command on $PATH (or $GO), and golang.org/x/sys in the module cache
// or reachable through GOPROXY.
package xcheck

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
)

const rootPath = "github.com/ipcgo/ipc"

func goCmd() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

func run(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(goCmd(), args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, ee.Stderr)
		}
		t.Fatalf("go %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

// item is one of ipc's hand-written things on one target.
type item struct {
	kind  string // "constant", "variable" or "struct type"
	name  string
	pos   token.Position
	value constant.Value // constants and variables
	typ   types.Type
}

// result is what one target found.
type result struct {
	t          *target
	loadFailed bool // type-checking failed, so nothing was compared
	errs       []string
	unmapped   []unmapped
	used       map[int]bool // table entries matched
	swept      int          // syscall names compared
}

type unmapped struct {
	it      item
	t       *target
	sysName string         // an x/sys name like it, if any
	sysVal  constant.Value // its value
	layout  string         // struct types: ipc's layout
}

func TestCrossCheck(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if mod, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.HasPrefix(string(mod), "module "+rootPath+"\n") {
		t.Fatalf("%s is not the ipc module (%v)", root, err)
	}
	goroot := run(t, nil, "env", "GOROOT")
	var dl struct{ Dir, Error string }
	if err := json.Unmarshal([]byte(run(t, nil, "mod", "download", "-json", "golang.org/x/sys")), &dl); err != nil || dl.Dir == "" {
		t.Fatalf("golang.org/x/sys: %v %s", err, dl.Error)
	}
	src, err := newSources(goroot, root)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkTable(); err != nil {
		t.Fatal(err)
	}
	targets := strings.Fields(run(t, nil, "tool", "dist", "list"))

	results := make([]*result, len(targets))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, tg := range targets {
		goos, goarch, _ := strings.Cut(tg, "/")
		tags := run(t, []string{"GOOS=" + goos, "GOARCH=" + goarch}, "list", "-f", `{{join context.ToolTags " "}}`, "unsafe")
		tt := &target{goos: goos, goarch: goarch, toolTags: strings.Fields(tags), releaseTags: build.Default.ReleaseTags}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = checkTarget(src, tt, dl.Dir)
		}()
	}
	wg.Wait()

	used := make(map[int]bool)
	var missing []unmapped
	swept := 0
	loadFailed := false
	for _, r := range results {
		loadFailed = loadFailed || r.loadFailed
		for _, e := range r.errs {
			t.Errorf("%s: %s", r.t, e)
		}
		for i := range r.used {
			used[i] = true
		}
		missing = append(missing, r.unmapped...)
		swept += r.swept
	}
	for _, msg := range unmappedMessages(missing) {
		t.Error(msg)
	}
	if !loadFailed {
		for i, e := range table {
			if !used[i] {
				t.Errorf("table entry %s matches nothing in ipc on any target: remove it, or fix its goos/goarch", e)
			}
		}
	}
	t.Logf("%d targets; %d table entries; %d names of package syscall compared with x/sys (summed over the targets)", len(targets), len(table), swept)
}

// checkTarget does the work for one target.
func checkTarget(src *sources, t *target, xsysDir string) *result {
	r := &result{t: t, used: make(map[int]bool)}
	dirs := []string{src.rootDir}
	if name := xsysPackage(t.goos); name != "" {
		dirs = append(dirs, filepath.Join(xsysDir, name))
	}
	for _, dir := range dirs {
		if err := src.checkSelection(t, dir); err != nil {
			r.errs = append(r.errs, err.Error())
			r.loadFailed = true
			return r
		}
	}
	u := newUniverse(src, t, xsysDir)
	if _, err := u.loadRoot(rootPath); err != nil {
		r.errs = append(r.errs, err.Error())
		r.loadFailed = true
		return r
	}
	var sys *types.Package
	if name := xsysPackage(t.goos); name != "" {
		p, err := u.xsys(name)
		if err != nil {
			r.errs = append(r.errs, err.Error())
			r.loadFailed = true
			return r
		}
		sys = p
	}
	ev := &evaluator{u: u, sys: sys}

	for _, it := range collect(u) {
		idx, err := lookup(t, it.name)
		if err != nil {
			r.errs = append(r.errs, fmt.Sprintf("%s %s (%s): %v", it.kind, it.name, it.pos, err))
			continue
		}
		if idx < 0 {
			r.unmapped = append(r.unmapped, suggest(ev, t, it))
			continue
		}
		r.used[idx] = true
		if err := compare(ev, &table[idx], it); err != nil {
			r.errs = append(r.errs, fmt.Sprintf("%s %s (%s): %v", it.kind, it.name, it.pos, err))
		}
	}
	if sys != nil {
		n, errs := sweepSyscall(u, sys)
		r.swept = n
		r.errs = append(r.errs, errs...)
	}
	return r
}

// xsysPackage names the x/sys package for goos, or "" where there is none.
func xsysPackage(goos string) string {
	switch goos {
	case "windows", "plan9":
		return goos
	case "js", "wasip1":
		return ""
	}
	return "unix"
}

// collect finds ipc's hand-written things; see the package comment.
func collect(u *universe) []item {
	var items []item
	pos := func(p token.Pos) token.Position {
		ps := u.src.fset.Position(p)
		ps.Filename = filepath.Base(ps.Filename)
		return ps
	}
	scope := u.root.Scope()
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.Const:
			if isNumeric(obj.Type()) {
				items = append(items, item{kind: "constant", name: name, pos: pos(obj.Pos()), value: obj.Val(), typ: obj.Type()})
			}
		case *types.TypeName:
			if obj.IsAlias() {
				continue
			}
			if st, ok := obj.Type().Underlying().(*types.Struct); ok && st.NumFields() > 0 && cLike(st, map[types.Type]bool{}) {
				items = append(items, item{kind: "struct type", name: name, pos: pos(obj.Pos()), typ: obj.Type()})
			}
		}
	}
	// Integer variables initialised with literals.
	for _, init := range u.info.InitOrder {
		if len(init.Lhs) != 1 || !isInteger(init.Lhs[0].Type()) || !hasIntLiteral(init.Rhs) {
			continue
		}
		v := init.Lhs[0]
		val, err := evalInit(u.info, init.Rhs)
		it := item{kind: "variable", name: v.Name(), pos: pos(v.Pos()), value: val, typ: v.Type()}
		if err != nil {
			it.value = constant.MakeUnknown()
		}
		items = append(items, it)
	}
	// Constants declared in functions.
	for _, f := range u.rootFiles {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			prefix := fd.Name.Name + "."
			if fd.Recv != nil && len(fd.Recv.List) == 1 {
				prefix = recvName(fd.Recv.List[0].Type) + "." + prefix
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				gd, ok := n.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					return true
				}
				for _, sp := range gd.Specs {
					for _, id := range sp.(*ast.ValueSpec).Names {
						if c, ok := u.info.Defs[id].(*types.Const); ok && isNumeric(c.Type()) {
							items = append(items, item{kind: "constant", name: prefix + id.Name, pos: pos(id.Pos()), value: c.Val(), typ: c.Type()})
						}
					}
				}
				return true
			})
		}
	}
	return items
}

func recvName(x ast.Expr) string {
	for {
		switch e := x.(type) {
		case *ast.StarExpr:
			x = e.X
		case *ast.IndexExpr:
			x = e.X
		case *ast.IndexListExpr:
			x = e.X
		case *ast.Ident:
			return e.Name
		default:
			return "?"
		}
	}
}

func isNumeric(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsNumeric != 0
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

func hasIntLiteral(x ast.Expr) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		if l, ok := n.(*ast.BasicLit); ok && l.Kind == token.INT {
			found = true
		}
		return !found
	})
	return found
}

// evalInit evaluates a variable's initialiser for this target: a constant
// expression, or a map literal indexed by a constant (such as
// runtime.GOOS), which yields the element at that key or the zero value.
func evalInit(info *types.Info, x ast.Expr) (constant.Value, error) {
	x = ast.Unparen(x)
	if tv := info.Types[x]; tv.Value != nil {
		return tv.Value, nil
	}
	ix, ok := x.(*ast.IndexExpr)
	if !ok {
		return nil, fmt.Errorf("initialiser is neither constant nor a map literal indexed by a constant")
	}
	lit, ok := ast.Unparen(ix.X).(*ast.CompositeLit)
	key := info.Types[ix.Index].Value
	if !ok || key == nil {
		return nil, fmt.Errorf("initialiser is neither constant nor a map literal indexed by a constant")
	}
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			return nil, fmt.Errorf("map literal element without a key")
		}
		k, v := info.Types[kv.Key].Value, info.Types[kv.Value].Value
		if k == nil || v == nil {
			return nil, fmt.Errorf("map literal element is not constant")
		}
		if constant.Compare(k, token.EQL, key) {
			return v, nil
		}
	}
	return constant.MakeInt64(0), nil
}

// cLike reports whether a struct could mirror a C structure: see the
// package comment.
func cLike(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return true
	}
	seen[t] = true
	if n, ok := t.(*types.Named); ok {
		if p := n.Obj().Pkg(); p != nil && p.Path() != rootPath && p.Path() != "syscall" {
			return false
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsNumeric != 0 || u.Kind() == types.UnsafePointer
	case *types.Array:
		return cLike(u.Elem(), seen)
	case *types.Pointer:
		return cLike(u.Elem(), seen)
	case *types.Struct:
		for f := range u.Fields() {
			if !cLike(f.Type(), seen) {
				return false
			}
		}
		return true
	}
	return false
}

// lookup finds the one table entry for name on t, or -1.
func lookup(t *target, name string) (int, error) {
	idx := -1
	for i := range table {
		e := &table[i]
		if e.name != name || !e.covers(t) {
			continue
		}
		if idx >= 0 {
			return -1, fmt.Errorf("two table entries cover %s: %s and %s", t, table[idx], e)
		}
		idx = i
	}
	return idx, nil
}

func (e *entry) covers(t *target) bool {
	return (e.goos == "" || slices.Contains(strings.Fields(e.goos), t.goos)) &&
		(e.goarch == "" || slices.Contains(strings.Fields(e.goarch), t.goarch))
}

func (e entry) String() string {
	s := fmt.Sprintf("{name: %q", e.name)
	if e.goos != "" {
		s += fmt.Sprintf(", goos: %q", e.goos)
	}
	if e.goarch != "" {
		s += fmt.Sprintf(", goarch: %q", e.goarch)
	}
	return s + "}"
}

// checkTable checks the table's own form.
func checkTable() error {
	for _, e := range table {
		n := 0
		for _, s := range []string{e.sys, e.lacking, e.internal, e.unused} {
			if s != "" {
				n++
			}
		}
		switch {
		case n != 1:
			return fmt.Errorf("table entry %s: give exactly one of sys, lacking, internal and unused", e)
		case e.lacking != "" && e.want == "":
			return fmt.Errorf("table entry %s: a lacking entry gives the header's value or layout in want", e)
		case e.lacking == "" && e.want != "":
			return fmt.Errorf("table entry %s: want goes with lacking", e)
		case (e.fields != "" || e.extra != "" || e.prefix != "") && e.sys == "":
			return fmt.Errorf("table entry %s: fields, extra and prefix go with sys", e)
		}
	}
	return nil
}

// compare checks one item against its entry.
func compare(ev *evaluator, e *entry, it item) error {
	if e.internal != "" || e.unused != "" {
		return nil
	}
	if it.kind == "struct type" {
		ours := layoutOf(ev.u.sizes, it.typ)
		if e.lacking != "" {
			if got := ours.String(); got != e.want {
				return fmt.Errorf("layout %s, but %s gives %s", got, e.lacking, e.want)
			}
			return nil
		}
		return compareStruct(ev, e, ours)
	}
	if it.value.Kind() == constant.Unknown {
		return fmt.Errorf("cannot evaluate its initialiser for this target; make it a constant, or a map literal indexed by a constant")
	}
	if e.lacking != "" {
		want, err := ev.eval(e.want, false)
		if err != nil {
			return fmt.Errorf("want %q: %v", e.want, err)
		}
		want = fitType(want, it.typ, ev.u.sizes)
		if !constant.Compare(it.value, token.EQL, want) {
			return fmt.Errorf("= %s, but %s gives %s", show(it.value), e.lacking, show(want))
		}
		return nil
	}
	if ev.sys == nil {
		return fmt.Errorf("mapped to x/sys %q, but there is no x/sys package for this target", e.sys)
	}
	theirs, err := ev.eval(e.sys, true)
	if err != nil {
		return fmt.Errorf("x/sys %q: %v", e.sys, err)
	}
	if !constant.Compare(it.value, token.EQL, theirs) {
		return fmt.Errorf("= %s, but the table's sys %s = %s", show(it.value), e.sys, show(theirs))
	}
	return nil
}

// fitType gives a negative value the bits it has in an unsigned type, as
// ^syscall.Handle(1) is -2 in a pointer-sized unsigned integer.
func fitType(v constant.Value, t types.Type, sizes types.Sizes) constant.Value {
	b, ok := t.Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsUnsigned == 0 || constant.Sign(v) >= 0 {
		return v
	}
	bits := uint(8 * sizes.Sizeof(b))
	return constant.BinaryOp(v, token.ADD, constant.Shift(constant.MakeInt64(1), token.SHL, bits))
}

// show prints a value in decimal, and in hex too when that is how such
// numbers are usually written.
func show(v constant.Value) string {
	if v.Kind() != constant.Int {
		return v.ExactString()
	}
	if i, ok := constant.Int64Val(v); ok && i > -1024 && i < 1024 {
		return v.ExactString()
	}
	return fmt.Sprintf("%s (%#x)", v.ExactString(), constant.Val(v))
}

// evaluator evaluates the table's constant expressions: integer literals,
// names from x/sys (exported or not), runtime.NAME, signal.NAME (os/signal)
// and syscall.NAME from the target's standard library, unary and binary
// operators, parentheses, min, max, and len(T.F) for the length of the
// array field F of x/sys's struct type T.
type evaluator struct {
	u   *universe
	sys *types.Package
}

func (ev *evaluator) eval(expr string, sysNames bool) (constant.Value, error) {
	x, err := parser.ParseExpr(expr)
	if err != nil {
		return nil, err
	}
	return ev.expr(x, sysNames)
}

func (ev *evaluator) expr(x ast.Expr, sysNames bool) (constant.Value, error) {
	switch x := x.(type) {
	case *ast.BasicLit:
		v := constant.MakeFromLiteral(x.Value, x.Kind, 0)
		if v.Kind() == constant.Unknown {
			return nil, fmt.Errorf("bad literal %s", x.Value)
		}
		return v, nil
	case *ast.ParenExpr:
		return ev.expr(x.X, sysNames)
	case *ast.Ident:
		if !sysNames || ev.sys == nil {
			return nil, fmt.Errorf("%s: only literals and runtime., signal. and syscall. names here", x.Name)
		}
		return constOf(ev.sys, x.Name, "x/sys")
	case *ast.SelectorExpr:
		pkg, ok := x.X.(*ast.Ident)
		paths := map[string]string{"runtime": "runtime", "signal": "os/signal", "syscall": "syscall"}
		if !ok || paths[pkg.Name] == "" {
			return nil, fmt.Errorf("unknown package in %s", types.ExprString(x))
		}
		p := ev.u.std(paths[pkg.Name])
		if p == nil {
			return nil, fmt.Errorf("%s is not loaded for this target", paths[pkg.Name])
		}
		return constOf(p, x.Sel.Name, paths[pkg.Name])
	case *ast.UnaryExpr:
		v, err := ev.expr(x.X, sysNames)
		if err != nil {
			return nil, err
		}
		return constant.UnaryOp(x.Op, v, 0), nil
	case *ast.BinaryExpr:
		a, err := ev.expr(x.X, sysNames)
		if err != nil {
			return nil, err
		}
		b, err := ev.expr(x.Y, sysNames)
		if err != nil {
			return nil, err
		}
		if x.Op == token.SHL || x.Op == token.SHR {
			n, ok := constant.Uint64Val(b)
			if !ok {
				return nil, fmt.Errorf("bad shift count in %s", types.ExprString(x))
			}
			return constant.Shift(a, x.Op, uint(n)), nil
		}
		return constant.BinaryOp(a, x.Op, b), nil
	case *ast.CallExpr:
		fn, ok := x.Fun.(*ast.Ident)
		if ok && fn.Name == "len" && len(x.Args) == 1 && sysNames && ev.sys != nil {
			return ev.fieldLen(x.Args[0])
		}
		if !ok || (fn.Name != "min" && fn.Name != "max") || len(x.Args) == 0 {
			return nil, fmt.Errorf("only min, max and len may be called: %s", types.ExprString(x))
		}
		var best constant.Value
		for _, a := range x.Args {
			v, err := ev.expr(a, sysNames)
			if err != nil {
				return nil, err
			}
			if best == nil || (fn.Name == "min") == constant.Compare(v, token.LSS, best) {
				best = v
			}
		}
		return best, nil
	}
	return nil, fmt.Errorf("unsupported expression %s", types.ExprString(x))
}

// fieldLen evaluates len(T.F).
func (ev *evaluator) fieldLen(x ast.Expr) (constant.Value, error) {
	sel, ok := x.(*ast.SelectorExpr)
	if !ok {
		return nil, fmt.Errorf("len takes T.F: %s", types.ExprString(x))
	}
	tn, ok := sel.X.(*ast.Ident)
	if !ok {
		return nil, fmt.Errorf("len takes T.F: %s", types.ExprString(x))
	}
	obj, ok := ev.sys.Scope().Lookup(tn.Name).(*types.TypeName)
	if !ok {
		return nil, fmt.Errorf("x/sys has no type %s for this target", tn.Name)
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		return nil, fmt.Errorf("x/sys %s is not a struct", tn.Name)
	}
	for f := range st.Fields() {
		if f.Name() == sel.Sel.Name {
			if a, ok := f.Type().Underlying().(*types.Array); ok {
				return constant.MakeInt64(a.Len()), nil
			}
		}
	}
	return nil, fmt.Errorf("x/sys %s has no array field %s", tn.Name, sel.Sel.Name)
}

func constOf(p *types.Package, name, what string) (constant.Value, error) {
	c, ok := p.Scope().Lookup(name).(*types.Const)
	if !ok {
		return nil, fmt.Errorf("%s has no constant %s for this target", what, name)
	}
	return c.Val(), nil
}

// layout is a struct type's size and its fields' offsets and sizes.
type layout struct {
	size   int64
	fields []fieldLayout
}

type fieldLayout struct {
	name       string
	off, size  int64
	typeString string
}

func layoutOf(sizes types.Sizes, t types.Type) layout {
	st := t.Underlying().(*types.Struct)
	var fs []*types.Var
	for f := range st.Fields() {
		fs = append(fs, f)
	}
	offs := sizes.Offsetsof(fs)
	l := layout{size: sizes.Sizeof(t)}
	for i, f := range fs {
		l.fields = append(l.fields, fieldLayout{f.Name(), offs[i], sizes.Sizeof(f.Type()), types.TypeString(f.Type(), types.RelativeTo(f.Pkg()))})
	}
	return l
}

// String is the form of a layout in the table's want: the size, then each
// field's name, offset and size.
func (l layout) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "size %d:", l.size)
	for _, f := range l.fields {
		fmt.Fprintf(&b, " %s@%d/%d", f.name, f.off, f.size)
	}
	return b.String()
}

// compareStruct compares ours with the x/sys struct type e.sys: field by
// field in order, except that e.fields pairs fields by name
// ("ours=theirs ...", theirs may be #N for the Nth field, from 0, for a
// blank one), e.extra names fields of ours past the end of theirs
// ("field: why; ..."), and e.prefix says why ours may be the leading part
// of theirs.
func compareStruct(ev *evaluator, e *entry, ours layout) error {
	if ev.sys == nil {
		return fmt.Errorf("mapped to x/sys %q, but there is no x/sys package for this target", e.sys)
	}
	tn, ok := ev.sys.Scope().Lookup(e.sys).(*types.TypeName)
	if !ok {
		return fmt.Errorf("x/sys has no type %s for this target", e.sys)
	}
	if _, ok := tn.Type().Underlying().(*types.Struct); !ok {
		return fmt.Errorf("x/sys %s is not a struct", e.sys)
	}
	theirs := layoutOf(ev.u.sizes, tn.Type())
	extra := make(map[string]bool)
	for _, part := range strings.Split(e.extra, ";") {
		if name, _, ok := strings.Cut(part, ":"); ok {
			extra[strings.TrimSpace(name)] = true
		}
	}
	pair := make(map[string]string)
	for _, p := range strings.Fields(e.fields) {
		a, b, _ := strings.Cut(p, "=")
		pair[a] = b
	}
	var errs []string
	for i, f := range ours.fields {
		if extra[f.name] {
			if f.off < theirs.size {
				errs = append(errs, fmt.Sprintf("%s at %d is not past the end of %s (%d bytes)", f.name, f.off, e.sys, theirs.size))
			}
			continue
		}
		j := i
		if name, ok := pair[f.name]; ok {
			j = -1
			if n, ok := strings.CutPrefix(name, "#"); ok {
				fmt.Sscan(n, &j)
			} else {
				for k, g := range theirs.fields {
					if g.name == name {
						j = k
					}
				}
			}
		}
		if j < 0 || j >= len(theirs.fields) {
			errs = append(errs, fmt.Sprintf("field %s has no counterpart in %s", f.name, e.sys))
			continue
		}
		g := theirs.fields[j]
		if f.off != g.off || f.size != g.size {
			errs = append(errs, fmt.Sprintf("field %s (%s) at %d size %d, but %s.%s (%s) at %d size %d", f.name, f.typeString, f.off, f.size, e.sys, g.name, g.typeString, g.off, g.size))
		}
	}
	switch {
	case e.prefix != "" && ours.size > theirs.size:
		errs = append(errs, fmt.Sprintf("size %d, more than %s's %d bytes", ours.size, e.sys, theirs.size))
	case e.prefix == "" && len(extra) == 0 && ours.size != theirs.size:
		errs = append(errs, fmt.Sprintf("size %d, but %s is %d bytes", ours.size, e.sys, theirs.size))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s: ours %s; x/sys %s", strings.Join(errs, "; "), ours, theirs)
	}
	return nil
}

// sweepSyscall compares the constants of package syscall that ipc uses
// with x/sys's of the same names, and, for each syscall struct type ipc
// uses (by name, or through its fields), the size and the offsets and
// sizes of the fields ipc uses.
func sweepSyscall(u *universe, sys *types.Package) (int, []string) {
	sc := u.std("syscall")
	usedType := make(map[*types.TypeName]token.Pos)
	usedField := make(map[*types.Var]bool)
	usedConst := make(map[*types.Const]token.Pos)
	for id, obj := range u.info.Uses {
		if obj.Pkg() != sc || syscallSkip[obj.Name()] != "" {
			continue
		}
		switch obj := obj.(type) {
		case *types.Const:
			usedConst[obj] = id.Pos()
		case *types.TypeName:
			usedType[obj] = id.Pos()
		case *types.Var:
			if obj.IsField() {
				usedField[obj] = true
			}
		}
	}
	where := func(p token.Pos) string {
		ps := u.src.fset.Position(p)
		return fmt.Sprintf("%s:%d", filepath.Base(ps.Filename), ps.Line)
	}
	var errs []string
	n := 0
	for c, pos := range usedConst {
		theirs, ok := sys.Scope().Lookup(c.Name()).(*types.Const)
		if !ok {
			continue
		}
		n++
		if !constant.Compare(c.Val(), token.EQL, theirs.Val()) {
			errs = append(errs, fmt.Sprintf("syscall.%s = %s (used at %s), but x/sys %s = %s", c.Name(), show(c.Val()), where(pos), c.Name(), show(theirs.Val())))
		}
	}
	for _, name := range sc.Scope().Names() {
		tn, ok := sc.Scope().Lookup(name).(*types.TypeName)
		if !ok || syscallSkip[name] != "" {
			continue
		}
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		var fields []string
		for f := range st.Fields() {
			if usedField[f] {
				fields = append(fields, f.Name())
			}
		}
		if _, ok := usedType[tn]; !ok && len(fields) == 0 {
			continue
		}
		other, ok := sys.Scope().Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		if _, ok := other.Type().Underlying().(*types.Struct); !ok {
			continue
		}
		n++
		ours, theirs := layoutOf(u.sizes, tn.Type()), layoutOf(u.sizes, other.Type())
		var bad []string
		if ours.size != theirs.size {
			bad = append(bad, fmt.Sprintf("size %d, x/sys %d", ours.size, theirs.size))
		}
		for _, name := range fields {
			f := ours.field(name)
			g := theirs.field(name)
			if g == nil {
				bad = append(bad, fmt.Sprintf("x/sys has no field %s", name))
			} else if f.off != g.off || f.size != g.size {
				bad = append(bad, fmt.Sprintf("%s at %d size %d, x/sys at %d size %d", name, f.off, f.size, g.off, g.size))
			}
		}
		if len(bad) > 0 {
			errs = append(errs, fmt.Sprintf("syscall.%s differs from x/sys's where ipc uses it (%s): %s", name, strings.Join(fields, ", "), strings.Join(bad, "; ")))
		}
	}
	slices.Sort(errs)
	return n, errs
}

func (l layout) field(name string) *fieldLayout {
	for i := range l.fields {
		if l.fields[i].name == name {
			return &l.fields[i]
		}
	}
	return nil
}

// suggest describes an item missing from the table, with the x/sys name
// it most likely is.
func suggest(ev *evaluator, t *target, it item) unmapped {
	m := unmapped{it: it, t: t}
	if it.kind == "struct type" {
		m.layout = layoutOf(ev.u.sizes, it.typ).String()
		if ev.sys != nil {
			for _, name := range sysNames(it.name) {
				if tn, ok := ev.sys.Scope().Lookup(name).(*types.TypeName); ok {
					if _, ok := tn.Type().Underlying().(*types.Struct); ok {
						m.sysName = name
						break
					}
				}
			}
		}
		return m
	}
	if ev.sys != nil {
		for _, name := range sysNames(it.name[strings.LastIndex(it.name, ".")+1:]) {
			if c, ok := ev.sys.Scope().Lookup(name).(*types.Const); ok {
				m.sysName, m.sysVal = name, c.Val()
				break
			}
		}
	}
	return m
}

// sysNames returns the x/sys names that an ipc name may stand for:
// _SO_PEERCRED for SO_PEERCRED, errorPipeBusy for ERROR_PIPE_BUSY,
// xucred for Xucred.
func sysNames(name string) []string {
	bare := strings.TrimLeft(name, "_")
	names := []string{bare}
	var snake []rune
	rs := []rune(bare)
	for i, r := range rs {
		// A word starts at an upper-case letter after a lower-case one
		// (errorPipe) or before one (IOIncomplete).
		if i > 0 && unicode.IsUpper(r) && (!unicode.IsUpper(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
			snake = append(snake, '_')
		}
		snake = append(snake, unicode.ToUpper(r))
	}
	names = append(names, string(snake))
	if bare != "" {
		names = append(names, strings.ToUpper(bare[:1])+bare[1:])
	}
	return names
}

// unmappedMessages says, for each item missing from the table, what to add.
func unmappedMessages(missing []unmapped) []string {
	type group struct {
		first  unmapped
		byGOOS map[string][]unmapped
	}
	groups := make(map[string]*group)
	var order []string
	for _, m := range missing {
		key := m.it.kind + " " + m.it.name
		g := groups[key]
		if g == nil {
			g = &group{first: m, byGOOS: make(map[string][]unmapped)}
			groups[key] = g
			order = append(order, key)
		}
		g.byGOOS[m.t.goos] = append(g.byGOOS[m.t.goos], m)
	}
	slices.Sort(order)
	var msgs []string
	for _, key := range order {
		g := groups[key]
		it := g.first.it
		var b strings.Builder
		var where []string
		for _, ms := range g.byGOOS {
			for _, m := range ms {
				p := fmt.Sprintf("%s:%d", m.it.pos.Filename, m.it.pos.Line)
				if !slices.Contains(where, p) {
					where = append(where, p)
				}
			}
		}
		slices.Sort(where)
		fmt.Fprintf(&b, "ipc's %s %s (%s) is not in the cross-check table (testdata/xcheck/table_test.go).\n", it.kind, it.name, strings.Join(where, ", "))
		b.WriteString("Check it against the system's header and add one entry per group of GOOS, e.g.:\n")
		// Group the GOOS by what to suggest.
		lines := make(map[string][]string)
		var lineOrder []string
		goosList := make([]string, 0, len(g.byGOOS))
		for goos := range g.byGOOS {
			goosList = append(goosList, goos)
		}
		slices.Sort(goosList)
		for _, goos := range goosList {
			ms := g.byGOOS[goos]
			var line, note string
			first := ms[0]
			switch {
			case it.kind == "struct type" && first.sysName != "":
				line = fmt.Sprintf(`sys: %q`, first.sysName)
				note = "x/sys has a struct of that name: the test compares the layouts"
			case it.kind == "struct type":
				line = fmt.Sprintf(`lacking: "<OS> <header>: struct <name> {...}", want: %q`, first.layout)
				note = "x/sys has none; want is ipc's layout on " + first.t.String() + ": check it against the header"
				for _, m := range ms[1:] {
					if m.layout != first.layout {
						note += "; the layout differs by GOARCH, so give one entry per goarch"
						break
					}
				}
			default:
				agree, differ := true, false
				for _, m := range ms {
					if m.sysName == "" || m.it.value.Kind() == constant.Unknown || !constant.Compare(m.it.value, token.EQL, m.sysVal) {
						agree = false
					}
					if m.sysName != "" && m.it.value.Kind() != constant.Unknown && !constant.Compare(m.it.value, token.EQL, m.sysVal) {
						differ = true
					}
				}
				switch {
				case agree:
					line = fmt.Sprintf(`sys: %q`, first.sysName)
					note = "x/sys has it, with the same value"
				case differ:
					line = fmt.Sprintf(`sys: %q`, first.sysName)
					note = fmt.Sprintf("x/sys %s = %s but ipc has %s: one of them is wrong, check the header", first.sysName, show(first.sysVal), show(first.it.value))
				case first.it.value.Kind() == constant.Unknown:
					line = `internal: "<why>"`
					note = "its initialiser cannot be evaluated: make it a constant or a map literal indexed by a constant"
				default:
					line = fmt.Sprintf(`lacking: "<OS> <header>: <NAME> <value>", want: %q`, wantString(ms))
					note = "x/sys has no such name; want is ipc's value: check it against the header"
				}
			}
			key := line + "\x00" + note
			if _, ok := lines[key]; !ok {
				lineOrder = append(lineOrder, key)
			}
			lines[key] = append(lines[key], goos)
		}
		for _, key := range lineOrder {
			line, note, _ := strings.Cut(key, "\x00")
			fmt.Fprintf(&b, "\t{name: %q, goos: %q, %s}, // %s\n", it.name, strings.Join(lines[key], " "), line, note)
		}
		fmt.Fprintf(&b, "or, if it is not an OS number or layout:\n\t{name: %q, goos: \"...\", internal: \"<why>\"},\n", it.name)
		fmt.Fprintf(&b, "or, where it is compiled but not used:\n\t{name: %q, goos: \"...\", unused: \"<why>\"},", it.name)
		msgs = append(msgs, b.String())
	}
	return msgs
}

// wantString is the value to suggest for want: ipc's, the same on every
// target of the GOOS, else the first one's with a marker.
func wantString(ms []unmapped) string {
	v := ms[0].it.value
	for _, m := range ms[1:] {
		if !constant.Compare(m.it.value, token.EQL, v) {
			return v.ExactString() + " (differs by GOARCH)"
		}
	}
	return v.ExactString()
}
