// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

// TestVet runs go vet's analyzers on every package of the ipc module
// (tests included) for every target in go tool dist list, type-checking
// from source as TestCrossCheck does.
//
// Why not go vet itself: go vet compiles the standard library's part that
// a package imports once per target before it looks at the package; on an
// empty build cache that is 20-30 CPU-seconds a target, a quarter of an
// hour of CI time for the 47 targets, most of which CI builds for nothing
// else. Here the standard library is type-checked from source, function
// bodies skipped, which takes about a second a target.
//
// What it runs: the analyzers of cmd/vet's suite (vetSuite), with their
// prerequisites, on each package as go vet ./... sees it: the package with
// its in-package test files, the package of its _test.go files, and each
// command. What differs from go vet: analysis facts (printf wrappers,
// functions that never return) come only from the module's own packages,
// not from the standard library's, so a check that needs a standard
// library function's fact beyond what the analyzer knows by name is
// weaker here. Make ci also runs go vet itself on each target whose
// standard library it builds anyway (make vet-all), and TestVetFinds shows
// on a package made to fail that the checks fire, for the target whose
// files hold the mistake only.
package xcheck

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/appends"
	"golang.org/x/tools/go/analysis/passes/asmdecl"
	"golang.org/x/tools/go/analysis/passes/assign"
	"golang.org/x/tools/go/analysis/passes/atomic"
	"golang.org/x/tools/go/analysis/passes/bools"
	"golang.org/x/tools/go/analysis/passes/buildtag"
	"golang.org/x/tools/go/analysis/passes/cgocall"
	"golang.org/x/tools/go/analysis/passes/composite"
	"golang.org/x/tools/go/analysis/passes/copylock"
	"golang.org/x/tools/go/analysis/passes/defers"
	"golang.org/x/tools/go/analysis/passes/directive"
	"golang.org/x/tools/go/analysis/passes/errorsas"
	"golang.org/x/tools/go/analysis/passes/framepointer"
	"golang.org/x/tools/go/analysis/passes/hostport"
	"golang.org/x/tools/go/analysis/passes/httpresponse"
	"golang.org/x/tools/go/analysis/passes/ifaceassert"
	"golang.org/x/tools/go/analysis/passes/loopclosure"
	"golang.org/x/tools/go/analysis/passes/lostcancel"
	"golang.org/x/tools/go/analysis/passes/nilfunc"
	"golang.org/x/tools/go/analysis/passes/printf"
	"golang.org/x/tools/go/analysis/passes/shift"
	"golang.org/x/tools/go/analysis/passes/sigchanyzer"
	"golang.org/x/tools/go/analysis/passes/slog"
	"golang.org/x/tools/go/analysis/passes/stdmethods"
	"golang.org/x/tools/go/analysis/passes/stdversion"
	"golang.org/x/tools/go/analysis/passes/stringintconv"
	"golang.org/x/tools/go/analysis/passes/structtag"
	"golang.org/x/tools/go/analysis/passes/testinggoroutine"
	"golang.org/x/tools/go/analysis/passes/tests"
	"golang.org/x/tools/go/analysis/passes/timeformat"
	"golang.org/x/tools/go/analysis/passes/unmarshal"
	"golang.org/x/tools/go/analysis/passes/unreachable"
	"golang.org/x/tools/go/analysis/passes/unsafeptr"
	"golang.org/x/tools/go/analysis/passes/unusedresult"
	"golang.org/x/tools/go/analysis/passes/waitgroup"
)

// vetSuite is cmd/vet's list of analyzers (Go 1.26).
var vetSuite = []*analysis.Analyzer{
	appends.Analyzer,
	asmdecl.Analyzer,
	assign.Analyzer,
	atomic.Analyzer,
	bools.Analyzer,
	buildtag.Analyzer,
	cgocall.Analyzer,
	composite.Analyzer,
	copylock.Analyzer,
	defers.Analyzer,
	directive.Analyzer,
	errorsas.Analyzer,
	framepointer.Analyzer,
	httpresponse.Analyzer,
	hostport.Analyzer,
	ifaceassert.Analyzer,
	loopclosure.Analyzer,
	lostcancel.Analyzer,
	nilfunc.Analyzer,
	printf.Analyzer,
	shift.Analyzer,
	sigchanyzer.Analyzer,
	slog.Analyzer,
	stdmethods.Analyzer,
	stdversion.Analyzer,
	stringintconv.Analyzer,
	structtag.Analyzer,
	tests.Analyzer,
	testinggoroutine.Analyzer,
	timeformat.Analyzer,
	unmarshal.Analyzer,
	unreachable.Analyzer,
	unsafeptr.Analyzer,
	unusedresult.Analyzer,
	waitgroup.Analyzer,
}

// distTargets lists go tool dist list with each target's tool tags.
func distTargets(t *testing.T) []*target {
	var out []*target
	for _, tg := range strings.Fields(run(t, nil, "tool", "dist", "list")) {
		goos, goarch, _ := strings.Cut(tg, "/")
		tags := run(t, []string{"GOOS=" + goos, "GOARCH=" + goarch}, "list", "-f", `{{join context.ToolTags " "}}`, "unsafe")
		out = append(out, &target{goos: goos, goarch: goarch, toolTags: strings.Fields(tags), releaseTags: build.Default.ReleaseTags})
	}
	return out
}

// moduleInfo reads a module's path and go version from dir/go.mod.
func moduleInfo(dir string) (path, goVersion string, err error) {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "module" {
			path = f[1]
		}
		if len(f) == 2 && f[0] == "go" {
			goVersion = "go" + f[1]
		}
	}
	if path == "" || goVersion == "" {
		return "", "", fmt.Errorf("%s/go.mod: no module or go line", dir)
	}
	return path, goVersion, nil
}

// modulePackages lists the directories of a module that hold Go files,
// leaving out testdata, hidden and underscore directories and nested
// modules, as ./... does; the root first.
func modulePackages(root string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !slices.Contains(dirs, filepath.Dir(path)) {
			dirs = append(dirs, filepath.Dir(path))
		}
		return nil
	})
	return dirs, err
}

// finding is one diagnostic and the targets that reported it.
type finding struct {
	text    string // position: message (analyzer)
	targets []string
}

// vetModule vets the module at root for targets and returns what the
// analyzers reported, each message once with the targets it came from,
// and the errors that kept packages from being checked.
func vetModule(src *sources, targets []*target, root string) ([]finding, []string, error) {
	modPath, goVersion, err := moduleInfo(root)
	if err != nil {
		return nil, nil, err
	}
	dirs, err := modulePackages(root)
	if err != nil {
		return nil, nil, err
	}
	var (
		mu       sync.Mutex
		found    = make(map[string]*finding)
		problems []string
		wg       sync.WaitGroup
		sem      = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	for _, tt := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			v := &vetter{
				u:         newUniverse(src, tt, ""), // the module does not import x/sys
				modPath:   modPath,
				goVersion: goVersion,
				root:      root,
				local:     make(map[string]*types.Package),
				facts:     make(map[factKey]analysis.Fact),
				seen:      make(map[string]bool),
			}
			for _, dir := range dirs {
				v.vetDir(dir)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, e := range v.errs {
				problems = append(problems, fmt.Sprintf("%s: %s", tt, e))
			}
			for _, d := range v.diags {
				f := found[d]
				if f == nil {
					f = &finding{text: d}
					found[d] = f
				}
				f.targets = append(f.targets, tt.String())
			}
		}()
	}
	wg.Wait()
	var out []finding
	for _, f := range found {
		sort.Strings(f.targets)
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].text < out[j].text })
	sort.Strings(problems)
	return out, problems, nil
}

// vetter checks the module's packages for one target.
type vetter struct {
	u         *universe
	modPath   string
	goVersion string
	root      string
	local     map[string]*types.Package // the module's packages by import path, as imported now
	facts     map[factKey]analysis.Fact
	seen      map[string]bool // diagnostics reported
	diags     []string
	errs      []string
}

type factKey struct {
	obj types.Object   // nil for a package fact
	pkg *types.Package // for a package fact
	typ reflect.Type
}

// ImportFrom resolves the module's own packages, and leaves the rest to
// the universe (the standard library from source).
func (v *vetter) ImportFrom(path, from string, mode types.ImportMode) (*types.Package, error) {
	if p := v.local[path]; p != nil {
		return p, nil
	}
	if path == v.modPath || strings.HasPrefix(path, v.modPath+"/") {
		return nil, fmt.Errorf("%s: not (yet) checked; the module's packages are checked in directory order", path)
	}
	return v.u.ImportFrom(path, from, mode)
}

func (v *vetter) Import(path string) (*types.Package, error) { return v.ImportFrom(path, "", 0) }

// vetDir checks the package in dir as go vet does: the package with its
// in-package tests (or alone, without tests), then its external test
// package. The plain package is checked too, for the packages that
// import it.
func (v *vetter) vetDir(dir string) {
	names, testNames, ignored, err := v.u.src.selectAll(v.u.t, dir)
	if err != nil {
		v.errs = append(v.errs, err.Error())
		return
	}
	rel, _ := filepath.Rel(v.root, dir)
	path := v.modPath
	if rel != "." {
		path += "/" + filepath.ToSlash(rel)
	}
	parse := func(names []string) ([]*ast.File, bool) {
		var files []*ast.File
		for _, n := range names {
			f, err := v.u.src.parse(filepath.Join(dir, n))
			if err != nil {
				v.errs = append(v.errs, err.Error())
				return nil, false
			}
			if !importsC(f) {
				files = append(files, f)
			}
		}
		return files, true
	}
	files, ok := parse(names)
	if !ok || len(files) == 0 {
		return // no Go files for this target
	}
	tfiles, ok := parse(testNames)
	if !ok {
		return
	}
	var inPkg, ext []*ast.File
	pkgName := files[0].Name.Name
	for _, f := range tfiles {
		if f.Name.Name == pkgName {
			inPkg = append(inPkg, f)
		} else {
			ext = append(ext, f)
		}
	}
	var ign []string
	for _, n := range ignored {
		ign = append(ign, filepath.Join(dir, n))
	}
	plain := v.check(path, files, ign)
	if plain == nil {
		return
	}
	v.local[path] = plain
	under := plain
	if len(inPkg) > 0 {
		if under = v.check(path, append(slices.Clip(files), inPkg...), ign); under == nil {
			return
		}
	}
	if len(ext) > 0 {
		v.local[path] = under
		v.check(path+"_test", ext, nil)
		v.local[path] = plain
	}
}

// check type-checks one package and runs the suite on it.
func (v *vetter) check(path string, files []*ast.File, ignored []string) *types.Package {
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
	var errs []string
	conf := types.Config{
		Importer:  v,
		Sizes:     v.u.sizes,
		GoVersion: v.goVersion,
		Error: func(err error) {
			if len(errs) < 5 {
				errs = append(errs, err.Error())
			}
		},
	}
	pkg, _ := conf.Check(path, v.u.src.fset, files, info)
	if len(errs) > 0 {
		v.errs = append(v.errs, fmt.Sprintf("type-checking %s: %s", path, strings.Join(errs, "; ")))
		return nil
	}
	results := make(map[*analysis.Analyzer]any)
	failed := make(map[*analysis.Analyzer]bool)
	var do func(a *analysis.Analyzer)
	do = func(a *analysis.Analyzer) {
		if _, ok := results[a]; ok || failed[a] {
			return
		}
		resultOf := make(map[*analysis.Analyzer]any)
		for _, r := range a.Requires {
			do(r)
			if failed[r] {
				failed[a] = true
				return
			}
			resultOf[r] = results[r]
		}
		pass := &analysis.Pass{
			Analyzer:     a,
			Fset:         v.u.src.fset,
			Files:        files,
			IgnoredFiles: ignored,
			Pkg:          pkg,
			TypesInfo:    info,
			TypesSizes:   v.u.sizes,
			Module:       &analysis.Module{Path: v.modPath, Main: true, Dir: v.root, GoVersion: v.goVersion},
			ResultOf:     resultOf,
			ReadFile:     os.ReadFile,
			Report: func(d analysis.Diagnostic) {
				if !slices.Contains(vetSuite, a) {
					return
				}
				msg := fmt.Sprintf("%s: %s (%s)", v.u.src.fset.Position(d.Pos), d.Message, a.Name)
				if !v.seen[msg] {
					v.seen[msg] = true
					v.diags = append(v.diags, msg)
				}
			},
			ImportObjectFact: func(obj types.Object, fact analysis.Fact) bool {
				return v.importFact(factKey{obj: obj, typ: reflect.TypeOf(fact)}, fact)
			},
			ImportPackageFact: func(p *types.Package, fact analysis.Fact) bool {
				return v.importFact(factKey{pkg: p, typ: reflect.TypeOf(fact)}, fact)
			},
			ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
				v.facts[factKey{obj: obj, typ: reflect.TypeOf(fact)}] = fact
			},
			ExportPackageFact: func(fact analysis.Fact) {
				v.facts[factKey{pkg: pkg, typ: reflect.TypeOf(fact)}] = fact
			},
			AllObjectFacts: func() []analysis.ObjectFact {
				var out []analysis.ObjectFact
				for k, f := range v.facts {
					if k.obj != nil && slices.ContainsFunc(a.FactTypes, func(t analysis.Fact) bool { return reflect.TypeOf(t) == k.typ }) {
						out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
					}
				}
				return out
			},
			AllPackageFacts: func() []analysis.PackageFact {
				var out []analysis.PackageFact
				for k, f := range v.facts {
					if k.obj == nil && slices.ContainsFunc(a.FactTypes, func(t analysis.Fact) bool { return reflect.TypeOf(t) == k.typ }) {
						out = append(out, analysis.PackageFact{Package: k.pkg, Fact: f})
					}
				}
				return out
			},
		}
		res, err := a.Run(pass)
		if err != nil {
			v.errs = append(v.errs, fmt.Sprintf("%s: analyzer %s: %v", path, a.Name, err))
			failed[a] = true
			return
		}
		results[a] = res
	}
	for _, a := range vetSuite {
		do(a)
	}
	return pkg
}

// importFact copies a stored fact into fact, as the analysis framework's
// drivers do.
func (v *vetter) importFact(k factKey, fact analysis.Fact) bool {
	f, ok := v.facts[k]
	if ok {
		reflect.ValueOf(fact).Elem().Set(reflect.ValueOf(f).Elem())
	}
	return ok
}

func TestVet(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	goroot := run(t, nil, "env", "GOROOT")
	src, err := newSources(goroot, root)
	if err != nil {
		t.Fatal(err)
	}
	targets := distTargets(t)
	found, problems, err := vetModule(src, targets, root)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	for _, f := range found {
		t.Errorf("%s\n\ton %s", f.text, strings.Join(f.targets, " "))
	}
	t.Logf("%d targets vetted", len(targets))
}

// TestVetFinds vets a module made to fail, for three targets, and checks
// that each mistake is reported for exactly the targets whose files hold
// it: in a file for one GOOS, in an in-package test for another, in an
// external test, and through a printf wrapper declared in another package
// of the module (a fact passed between packages).
func TestVetFinds(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"go.mod":              "module example.com/bad\n\ngo 1.25\n",
		"bad.go":              "package bad\n\nimport \"fmt\"\n\n// Logf formats like fmt.Printf.\nfunc Logf(format string, args ...any) { fmt.Printf(format, args...) }\n",
		"bad_netbsd.go":       "package bad\n\nimport \"fmt\"\n\nfunc f() { fmt.Printf(\"%d\\n\", \"x\") }\n\nvar _ = f\n",
		"bad_windows_test.go": "package bad\n\nimport \"sync\"\n\nfunc g(m sync.Mutex) { m.Lock() }\n\nvar _ = g\n",
		"x_test.go":           "package bad_test\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {\n\treturn\n\tt.Log()\n}\n",
		"cmd/x/main.go":       "package main\n\nimport \"example.com/bad\"\n\nfunc main() { bad.Logf(\"%s\", 1) }\n",
		"testdata/y.go":       "package y\n\nimport \"fmt\"\n\nfunc y() { fmt.Printf(\"%d\", \"never vetted\") }\n",
	}
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goroot := run(t, nil, "env", "GOROOT")
	src, err := newSources(goroot, root)
	if err != nil {
		t.Fatal(err)
	}
	var targets []*target
	for _, tt := range distTargets(t) {
		switch tt.String() {
		case "linux/amd64", "netbsd/arm64", "windows/386":
			targets = append(targets, tt)
		}
	}
	if len(targets) != 3 {
		t.Fatalf("targets: %v", targets)
	}
	found, problems, err := vetModule(src, targets, root)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Fatalf("problems: %q", problems)
	}
	want := []struct{ file, msg, targets string }{
		{"bad_netbsd.go:5:", "fmt.Printf format %d has arg \"x\" of wrong type string (printf)", "netbsd/arm64"},
		{"bad_windows_test.go:5:", "g passes lock by value: sync.Mutex (copylocks)", "windows/386"},
		{"x_test.go:7:", "unreachable code (unreachable)", "linux/amd64 netbsd/arm64 windows/386"},
		{"main.go:5:", "example.com/bad.Logf format %s has arg 1 of wrong type int (printf)", "linux/amd64 netbsd/arm64 windows/386"},
	}
	var got []string
	for _, f := range found {
		got = append(got, f.text+" on "+strings.Join(f.targets, " "))
	}
	for _, w := range want {
		i := slices.IndexFunc(got, func(g string) bool {
			return strings.Contains(g, string(filepath.Separator)+w.file) && strings.Contains(g, w.msg+" on "+w.targets)
		})
		if i < 0 {
			t.Errorf("not reported: %s %s on %s", w.file, w.msg, w.targets)
			continue
		}
		got = slices.Delete(got, i, i+1)
	}
	for _, g := range got {
		t.Errorf("reported, not expected: %s", g)
	}
}
