package training

import (
	"context"
	"testing"
)

// BenchmarkPracticeMove is one move of a trainee on a practice case: the attempt's desk
// is built, the message appended, and the simulated customer's answer appended.
func BenchmarkPracticeMove(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	a, err := f.sp.Start(ctx, trainee, "logistics-chase", 0)
	if err != nil {
		b.Fatal(err)
	}
	m := &model{sp: f.sp, who: trainee, id: a.ID}
	b.ResetTimer()
	for range b.N {
		if err := m.say(ctx, "已经帮您联系快递加急派送了，请您放心。", ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreCard computes the score card of a played attempt from its log.
func BenchmarkScoreCard(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	a, err := f.sp.Start(ctx, trainee, "quality-damaged", 0)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.sp.Model(ctx, trainee, a.ID, SlipNone); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := f.sp.score(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}
