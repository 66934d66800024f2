// Copyright 2026 The ipc Authors. SPDX-License-Identifier: MIT OR Apache-2.0

package xcheck

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// This file loads packages for any GOOS/GOARCH from source with the
// standard library only: it selects each package's files by the go
// command's rules (file name suffixes and build constraints, as go/build
// does), parses them once for all targets, and type-checks them with
// go/types and the target's sizes. go/build itself selects the same files
// but reads every file of a directory again for each target, which made
// it most of the run time; checkSelection compares the two on ipc and
// x/sys for every target.

// sources holds what is shared by every target: file selection data and
// syntax trees. go/types never changes a syntax tree, so the targets'
// type checks share the trees and run at the same time.
type sources struct {
	fset    *token.FileSet
	goroot  string
	rootDir string // files under it keep their function bodies

	knownOS, unixOS, knownArch map[string]bool

	mu    sync.Mutex
	dirs  map[string]*dirFiles
	files map[string]*parsed
}

type dirFiles struct {
	once  sync.Once
	files []srcFile
	err   error
}

// srcFile is a Go file of a directory and its build constraint.
type srcFile struct {
	name    string
	test    bool              // a _test.go file
	goBuild constraint.Expr   // the //go:build line, or nil
	plus    []constraint.Expr // // +build lines, used when there is no //go:build
}

type parsed struct {
	once sync.Once
	f    *ast.File
	err  error
}

func newSources(goroot, rootDir string) (*sources, error) {
	s := &sources{
		fset:    token.NewFileSet(),
		goroot:  goroot,
		rootDir: rootDir,
		dirs:    make(map[string]*dirFiles),
		files:   make(map[string]*parsed),
	}
	// The go command's lists of operating systems and architectures,
	// which decide what a file name suffix means.
	f, err := parser.ParseFile(s.fset, filepath.Join(goroot, "src", "internal", "syslist", "syslist.go"), nil, 0)
	if err != nil {
		return nil, err
	}
	lists := map[string]*map[string]bool{"KnownOS": &s.knownOS, "UnixOS": &s.unixOS, "KnownArch": &s.knownArch}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 || lists[vs.Names[0].Name] == nil {
			return true
		}
		m := make(map[string]bool)
		for _, e := range vs.Values[0].(*ast.CompositeLit).Elts {
			k, _ := strconv.Unquote(e.(*ast.KeyValueExpr).Key.(*ast.BasicLit).Value)
			m[k] = true
		}
		*lists[vs.Names[0].Name] = m
		return false
	})
	if len(s.knownOS) == 0 || len(s.unixOS) == 0 || len(s.knownArch) == 0 {
		return nil, fmt.Errorf("internal/syslist: lists not found")
	}
	return s, nil
}

// dir returns the Go files of dir (tests included, not those ignored by
// name) with their constraints, reading each file's header once.
func (s *sources) dir(dir string) ([]srcFile, error) {
	s.mu.Lock()
	d := s.dirs[dir]
	if d == nil {
		d = new(dirFiles)
		s.dirs[dir] = d
	}
	s.mu.Unlock()
	d.once.Do(func() {
		ents, err := os.ReadDir(dir)
		if err != nil {
			d.err = err
			return
		}
		for _, e := range ents {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") ||
				strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
				continue
			}
			sf, err := readHeader(filepath.Join(dir, name))
			if err != nil {
				d.err = err
				return
			}
			sf.test = strings.HasSuffix(name, "_test.go")
			d.files = append(d.files, sf)
		}
	})
	return d.files, d.err
}

// readHeader reads the build constraints of a Go file: the //go:build and
// // +build lines in the run of comments and blank lines before the
// package clause.
func readHeader(path string) (srcFile, error) {
	sf := srcFile{name: filepath.Base(path)}
	data, err := os.ReadFile(path)
	if err != nil {
		return sf, err
	}
	inBlock := false
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, data = line[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSpace(line)
		if inBlock {
			if i := bytes.Index(line, []byte("*/")); i >= 0 {
				inBlock = false
				if len(bytes.TrimSpace(line[i+2:])) > 0 {
					break
				}
			}
			continue
		}
		switch {
		case len(line) == 0:
		case bytes.HasPrefix(line, []byte("//")):
			text := string(line)
			switch {
			case constraint.IsGoBuild(text):
				x, err := constraint.Parse(text)
				if err != nil {
					return sf, fmt.Errorf("%s: %v", path, err)
				}
				sf.goBuild = x
			case constraint.IsPlusBuild(text):
				if x, err := constraint.Parse(text); err == nil {
					sf.plus = append(sf.plus, x)
				}
			}
		case bytes.HasPrefix(line, []byte("/*")):
			inBlock = !bytes.Contains(line[2:], []byte("*/"))
		default:
			return sf, nil
		}
	}
	return sf, nil
}

// parse parses a file once for all targets. Outside the root module's
// directory tree, function bodies are emptied, which saves memory: only
// declarations are type-checked there.
func (s *sources) parse(path string) (*ast.File, error) {
	s.mu.Lock()
	p := s.files[path]
	if p == nil {
		p = new(parsed)
		s.files[path] = p
	}
	s.mu.Unlock()
	p.once.Do(func() {
		p.f, p.err = parser.ParseFile(s.fset, path, nil, parser.SkipObjectResolution)
		if p.err == nil && !inDir(s.rootDir, path) {
			for _, d := range p.f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
					fd.Body = &ast.BlockStmt{Lbrace: fd.Body.Lbrace, Rbrace: fd.Body.Rbrace}
				}
			}
		}
	})
	return p.f, p.err
}

// target is one GOOS/GOARCH with the go command's tool tags for it
// (goexperiment.*, amd64.v1, ...), which select files of the runtime and
// internal/abi.
type target struct {
	goos, goarch string
	toolTags     []string
	releaseTags  []string
}

func (t *target) String() string { return t.goos + "/" + t.goarch }

// matchTag is go/build's Context.matchTag for t, with cgo disabled.
func (s *sources) matchTag(t *target, name string) bool {
	switch {
	case name == t.goos || name == t.goarch || name == "gc":
		return true
	case t.goos == "android" && name == "linux",
		t.goos == "illumos" && name == "solaris",
		t.goos == "ios" && name == "darwin":
		return true
	case name == "unix" && s.unixOS[t.goos]:
		return true
	case name == "boringcrypto":
		name = "goexperiment.boringcrypto"
	}
	return slices.Contains(t.toolTags, name) || slices.Contains(t.releaseTags, name)
}

// goodOSArchFile is go/build's rule for GOOS and GOARCH file name
// suffixes.
func (s *sources) goodOSArchFile(t *target, name string) bool {
	name, _, _ = strings.Cut(name, ".")
	i := strings.Index(name, "_")
	if i < 0 {
		return true
	}
	l := strings.Split(name[i:], "_")
	if n := len(l); n > 0 && l[n-1] == "test" {
		l = l[:n-1]
	}
	n := len(l)
	if n >= 2 && s.knownOS[l[n-2]] && s.knownArch[l[n-1]] {
		return s.matchTag(t, l[n-1]) && s.matchTag(t, l[n-2])
	}
	if n >= 1 && (s.knownOS[l[n-1]] || s.knownArch[l[n-1]]) {
		return s.matchTag(t, l[n-1])
	}
	return true
}

// selectFiles returns the names of the files of dir, not tests, that
// build for t. Files that import "C" are left out later, by
// universe.check: cgo is off.
func (s *sources) selectFiles(t *target, dir string) ([]string, error) {
	names, _, _, err := s.selectAll(t, dir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no Go files for %s", dir, t)
	}
	return names, nil
}

// selectAll sorts the files of dir for t: those that build (tests apart)
// and those that do not.
func (s *sources) selectAll(t *target, dir string) (names, tests, ignored []string, err error) {
	files, err := s.dir(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	tag := func(name string) bool { return s.matchTag(t, name) }
	for _, f := range files {
		ok := s.goodOSArchFile(t, f.name)
		if ok && f.goBuild != nil {
			ok = f.goBuild.Eval(tag)
		} else if ok {
			for _, x := range f.plus {
				ok = ok && x.Eval(tag)
			}
		}
		switch {
		case !ok:
			ignored = append(ignored, f.name)
		case f.test:
			tests = append(tests, f.name)
		default:
			names = append(names, f.name)
		}
	}
	return names, tests, ignored, nil
}

// universe type-checks packages for one target: the standard library from
// $GOROOT/src, golang.org/x/sys from its module directory, and the root
// package (ipc) from its directory, function bodies included.
type universe struct {
	src     *sources
	t       *target
	sizes   types.Sizes
	xsysDir string

	pkgs      map[string]*types.Package // by directory; nil while in progress
	errs      map[string]error          // by directory
	info      *types.Info               // the root package's
	root      *types.Package
	rootFiles []*ast.File
}

func newUniverse(src *sources, t *target, xsysDir string) *universe {
	return &universe{
		src:     src,
		t:       t,
		sizes:   types.SizesFor("gc", t.goarch),
		xsysDir: xsysDir,
		pkgs:    make(map[string]*types.Package),
		errs:    make(map[string]error),
	}
}

// Import implements types.Importer.
func (u *universe) Import(path string) (*types.Package, error) {
	return u.ImportFrom(path, "", 0)
}

// ImportFrom implements types.ImporterFrom. Standard packages are found in
// $GOROOT/src, or its vendor directory when imported from inside GOROOT;
// golang.org/x/sys in its module directory.
func (u *universe) ImportFrom(path, from string, _ types.ImportMode) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	src := filepath.Join(u.src.goroot, "src")
	var dir string
	if rest, ok := strings.CutPrefix(path, "golang.org/x/sys/"); ok && !inDir(src, from) {
		dir = filepath.Join(u.xsysDir, filepath.FromSlash(rest))
	} else {
		dir = filepath.Join(src, filepath.FromSlash(path))
		if inDir(src, from) {
			if v := filepath.Join(src, "vendor", filepath.FromSlash(path)); isDir(v) {
				dir = v
			}
		}
		if !isDir(dir) {
			return nil, fmt.Errorf("%s: not a standard package", path)
		}
	}
	return u.check(path, dir, false)
}

func inDir(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// loadRoot type-checks the root package, function bodies included,
// keeping its syntax and type information.
func (u *universe) loadRoot(importPath string) (*types.Package, error) {
	return u.check(importPath, u.src.rootDir, true)
}

// xsys type-checks golang.org/x/sys/<name>.
func (u *universe) xsys(name string) (*types.Package, error) {
	return u.check("golang.org/x/sys/"+name, filepath.Join(u.xsysDir, name), false)
}

// std returns the standard package path, if it has been loaded.
func (u *universe) std(path string) *types.Package {
	return u.pkgs[filepath.Join(u.src.goroot, "src", filepath.FromSlash(path))]
}

func (u *universe) check(path, dir string, isRoot bool) (*types.Package, error) {
	if p, ok := u.pkgs[dir]; ok {
		if p == nil {
			return nil, fmt.Errorf("import cycle through %s", path)
		}
		return p, nil
	}
	if err := u.errs[dir]; err != nil {
		return nil, err
	}
	u.pkgs[dir] = nil
	p, err := u.check1(path, dir, isRoot)
	if err != nil {
		delete(u.pkgs, dir)
		u.errs[dir] = err
		return nil, err
	}
	u.pkgs[dir] = p
	return p, nil
}

func (u *universe) check1(path, dir string, isRoot bool) (*types.Package, error) {
	names, err := u.src.selectFiles(u.t, dir)
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, name := range names {
		f, err := u.src.parse(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if importsC(f) {
			continue
		}
		files = append(files, f)
	}
	var errs []error
	conf := types.Config{
		Importer:                 u,
		Sizes:                    u.sizes,
		IgnoreFuncBodies:         !isRoot,
		DisableUnusedImportCheck: !isRoot, // the imports' users were in the bodies
		Error:                    func(err error) { errs = append(errs, err) },
	}
	var info *types.Info
	if isRoot {
		info = &types.Info{
			Types: make(map[ast.Expr]types.TypeAndValue),
			Defs:  make(map[*ast.Ident]types.Object),
			Uses:  make(map[*ast.Ident]types.Object),
		}
	}
	p, _ := conf.Check(path, u.src.fset, files, info)
	if len(errs) > 0 {
		if len(errs) > 5 {
			errs = append(errs[:5], fmt.Errorf("and %d more", len(errs)-5))
		}
		return nil, fmt.Errorf("type-checking %s for %s: %v", path, u.t, errs)
	}
	if isRoot {
		u.info, u.root, u.rootFiles = info, p, files
	}
	return p, nil
}

// checkSelection compares the files selectFiles picks in dir for t with
// go/build's choice.
func (s *sources) checkSelection(t *target, dir string) error {
	ctx := build.Default
	ctx.GOROOT = s.goroot
	ctx.GOOS, ctx.GOARCH = t.goos, t.goarch
	ctx.CgoEnabled = false
	ctx.Compiler = "gc"
	ctx.ToolTags = t.toolTags
	ctx.ReleaseTags = t.releaseTags
	bp, err := ctx.ImportDir(dir, 0)
	if err != nil {
		return err
	}
	selected, err := s.selectFiles(t, dir)
	if err != nil {
		return err
	}
	var ours []string
	for _, name := range selected {
		f, err := s.parse(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if !importsC(f) { // as check does: cgo is off
			ours = append(ours, name)
		}
	}
	theirs := slices.Clone(bp.GoFiles)
	slices.Sort(ours)
	slices.Sort(theirs)
	if !slices.Equal(ours, theirs) {
		var only, missed []string
		for _, n := range ours {
			if !slices.Contains(theirs, n) {
				only = append(only, n)
			}
		}
		for _, n := range theirs {
			if !slices.Contains(ours, n) {
				missed = append(missed, n)
			}
		}
		return fmt.Errorf("%s for %s: the files selected differ from go/build's: %v more, %v fewer", dir, t, only, missed)
	}
	return nil
}

func importsC(f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"C"` {
			return true
		}
	}
	return false
}
