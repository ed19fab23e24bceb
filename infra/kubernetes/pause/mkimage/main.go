// Command mkimage writes a single-layer OCI image archive, loadable with
// `ctr -n k8s.io images import`, from files on disk. No registry and no Docker needed.
//
//	mkimage -o pause.tar -name registry.k8s.io/pause:3.6 -entrypoint /pause /pause=bin/pause
package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path"
	"runtime"
	"strings"
	"time"
)

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int               `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Platform    map[string]string `json:"platform,omitempty"`
}

func digest(b []byte) string { s := sha256.Sum256(b); return "sha256:" + hex.EncodeToString(s[:]) }

func main() {
	out := flag.String("o", "", "output archive")
	name := flag.String("name", "", "image reference, e.g. registry.k8s.io/pause:3.6")
	entry := flag.String("entrypoint", "", "entrypoint, comma-separated")
	flag.Parse()
	if *out == "" || *name == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: mkimage -o OUT.tar -name REF [-entrypoint /bin,arg] /path/in/image=host/file ...")
		os.Exit(2)
	}
	epoch := time.Unix(0, 0).UTC()

	var layer bytes.Buffer
	lw := tar.NewWriter(&layer)
	dirs := map[string]bool{}
	for _, spec := range flag.Args() {
		dst, src, ok := strings.Cut(spec, "=")
		if !ok {
			fail("bad file spec %q (want /in/image=host/path)", spec)
		}
		data, err := os.ReadFile(src)
		if err != nil {
			fail("%v", err)
		}
		st, _ := os.Stat(src)
		rel := strings.TrimPrefix(path.Clean(dst), "/")
		for d := path.Dir(rel); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
			must(lw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: epoch}))
		}
		must(lw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: rel, Mode: int64(st.Mode().Perm()), Size: int64(len(data)), ModTime: epoch}))
		_, err = lw.Write(data)
		must(err)
	}
	must(lw.Close())
	layerBytes := layer.Bytes()

	cfg := map[string]any{
		"architecture": runtime.GOARCH, "os": "linux", "created": epoch.Format(time.RFC3339),
		"config": map[string]any{"Entrypoint": strings.Split(*entry, ","), "Env": []string{"PATH=/bin:/usr/bin"}},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{digest(layerBytes)}},
	}
	if *entry == "" {
		delete(cfg["config"].(map[string]any), "Entrypoint")
	}
	cfgBytes, _ := json.Marshal(cfg)
	manifest := map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
		"config": descriptor{MediaType: "application/vnd.oci.image.config.v1+json", Digest: digest(cfgBytes), Size: len(cfgBytes)},
		"layers": []descriptor{{MediaType: "application/vnd.oci.image.layer.v1.tar", Digest: digest(layerBytes), Size: len(layerBytes)}},
	}
	manBytes, _ := json.Marshal(manifest)
	tag := *name
	if i := strings.LastIndex(tag, ":"); i > strings.LastIndex(tag, "/") {
		tag = tag[i+1:]
	}
	index := map[string]any{"schemaVersion": 2, "manifests": []descriptor{{
		MediaType: "application/vnd.oci.image.manifest.v1+json", Digest: digest(manBytes), Size: len(manBytes),
		Annotations: map[string]string{"io.containerd.image.name": *name, "org.opencontainers.image.ref.name": tag},
		Platform:    map[string]string{"architecture": runtime.GOARCH, "os": "linux"},
	}}}
	idxBytes, _ := json.Marshal(index)

	f, err := os.Create(*out)
	must(err)
	w := tar.NewWriter(f)
	put := func(name string, b []byte) {
		must(w.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: epoch}))
		_, err := w.Write(b)
		must(err)
	}
	put("oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`))
	for _, b := range [][]byte{layerBytes, cfgBytes, manBytes} {
		put("blobs/sha256/"+strings.TrimPrefix(digest(b), "sha256:"), b)
	}
	put("index.json", idxBytes)
	must(w.Close())
	must(f.Close())
}

func must(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "mkimage: "+format+"\n", a...)
	os.Exit(1)
}
