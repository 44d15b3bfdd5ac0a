package k8s

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// job is the part of a batch/v1 Job the example must get right.
type job struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Spec       struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Parallelism    int    `yaml:"parallelism"`
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Args []string `yaml:"args"`
					Env  []struct {
						Name  string `yaml:"name"`
						Value string `yaml:"value"`
					} `yaml:"env"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// TestIndexedJob checks the example: an Indexed Job whose pods each run
// 'biogate check' on part JOB_COMPLETION_INDEX of N (N the completions),
// resumable, each into its own file, exiting 0 on a completed part.
func TestIndexedJob(t *testing.T) {
	data, err := os.ReadFile("indexed-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var j job
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(false)
	if err := dec.Decode(&j); err != nil {
		t.Fatal(err)
	}
	if j.APIVersion != "batch/v1" || j.Kind != "Job" || j.Spec.CompletionMode != "Indexed" {
		t.Errorf("not an Indexed batch/v1 Job: %s %s %q", j.APIVersion, j.Kind, j.Spec.CompletionMode)
	}
	if j.Spec.Template.Spec.RestartPolicy != "Never" {
		t.Errorf("restartPolicy %q: want Never (the Job's per-index retries restart a part)", j.Spec.Template.Spec.RestartPolicy)
	}
	if len(j.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(j.Spec.Template.Spec.Containers))
	}
	c := j.Spec.Template.Spec.Containers[0]
	parts := ""
	for _, e := range c.Env {
		if e.Name == "PARTS" {
			parts = e.Value
		}
	}
	if want := strconv.Itoa(j.Spec.Completions); parts != want {
		t.Errorf("PARTS=%q but completions %d: every index must take part I of completions", parts, j.Spec.Completions)
	}
	flag := func(name string) string {
		i := slices.Index(c.Args, name)
		if i < 0 || i+1 >= len(c.Args) {
			t.Errorf("args lack %s VALUE: %q", name, c.Args)
			return ""
		}
		return c.Args[i+1]
	}
	if len(c.Args) == 0 || c.Args[0] != "check" {
		t.Errorf("args %q do not run 'biogate check'", c.Args)
	}
	if got := flag("-shard"); got != "$(JOB_COMPLETION_INDEX)/$(PARTS)" {
		t.Errorf("-shard %q, want $(JOB_COMPLETION_INDEX)/$(PARTS)", got)
	}
	if got := flag("-format"); got != "jsonl" {
		t.Errorf("-format %q: -resume needs jsonl", got)
	}
	if got := flag("-resume"); !strings.Contains(got, "$(JOB_COMPLETION_INDEX)") {
		t.Errorf("-resume %q: each part needs its own file", got)
	}
	flag("-from")
	if !slices.Contains(c.Args, "-exit-zero") {
		t.Error("no -exit-zero: a part holding a recapture would exit 1 and be retried")
	}
}
