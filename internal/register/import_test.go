package register

import "testing"

func TestColumnMappingNamesAFieldByItsCodeOrItsChineseName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]string
		bad  bool
	}{
		{in: "买家留言=description", want: map[string]string{"买家留言": "description"}},
		{in: "买家留言=问题描述, 旺旺=顾客", want: map[string]string{"买家留言": "description", "旺旺": "customer_name"}},
		{in: "", want: map[string]string{}},
		{in: "买家留言=留言", bad: true},
		{in: "买家留言", bad: true},
	} {
		got, err := ParseMapping(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("%q accepted: %v", tc.in, got)
			}
			continue
		}
		if err != nil || len(got) != len(tc.want) {
			t.Errorf("%q: %v, %v", tc.in, got, err)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%q: %s → %q, want %q", tc.in, k, got[k], v)
			}
		}
	}
}
