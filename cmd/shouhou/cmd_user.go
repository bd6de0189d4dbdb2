package main

import (
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// withAuth runs fn with the user manager of the configured installation.
func withAuth(cmd *cobra.Command, g *globalFlags, fn func(am *auth.Manager) error) error {
	return withStore(cmd.Context(), g, func(st *sqlstore.Store, _ config.Config) error {
		am, err := auth.New(auth.Opts{Store: st})
		if err != nil {
			return err
		}
		return fn(am)
	})
}

// passwordFrom is --password, else SHOUHOU_PASSWORD (which keeps it out of the shell
// history and the process list).
func passwordFrom(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if v := os.Getenv("SHOUHOU_PASSWORD"); v != "" {
		return v, nil
	}
	return "", errors.New("give the password with --password or the environment variable SHOUHOU_PASSWORD")
}

func newUserCmd(g *globalFlags) *cobra.Command {
	user := &cobra.Command{Use: "user", Short: "Manage users: add, list, passwd, disable, enable, profile, token"}
	user.AddCommand(newUserAddCmd(g), newUserListCmd(g), newUserPasswdCmd(g),
		newUserDisabledCmd(g, "disable", true), newUserDisabledCmd(g, "enable", false), newUserProfileCmd(g), newUserTokenCmd(g))
	return user
}

func newUserAddCmd(g *globalFlags) *cobra.Command {
	var n auth.NewUser
	var role, agentNo string
	add := &cobra.Command{
		Use:   "add USERNAME",
		Short: "Add a user (password from --password or env SHOUHOU_PASSWORD); --create on a first install",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withAuth(cmd, g, func(am *auth.Manager) error {
				n.Username, n.Role = args[0], store.Role(role)
				if n.Password == "" {
					n.Password = os.Getenv("SHOUHOU_PASSWORD")
				}
				u, err := am.AddUser(cmd.Context(), n)
				if err != nil {
					return err
				}
				if agentNo != "" {
					if u, err = am.SetProfile(cmd.Context(), u.ID, u.DisplayName, agentNo); err != nil {
						return err
					}
				}
				fmt.Fprintf(cmd.OutOrStdout(), "added %s (%s), id %d\n", u.Username, u.Role, u.ID)
				return nil
			})
		},
	}
	add.Flags().StringVar(&role, "role", "agent", "agent (客服), supervisor (主管), admin (管理员) or warehouse (仓库: only the receiving desk)")
	add.Flags().StringVar(&n.Password, "password", "", "password, at least 8 characters")
	add.Flags().StringVar(&n.DisplayName, "name", "", "display name shown on the workbench (default the user name)")
	add.Flags().StringVar(&agentNo, "agent-no", "", "工号: the agent's name in chats, e.g. 客服8号 (fills {客服工号})")
	addCreateFlag(add, g)
	return add
}

func newUserListCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the users with role, 工号 and whether they are disabled",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withAuth(cmd, g, func(am *auth.Manager) error {
				users, err := am.Users(cmd.Context())
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "USERNAME\tROLE\tNAME\tAGENT NO\tSTATE")
				for _, u := range users {
					state := "active"
					if u.Disabled {
						state = "disabled"
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, u.DisplayName, u.AgentNo, state)
				}
				return w.Flush()
			})
		},
	}
}

// changeUser applies ch to the named user.
func changeUser(cmd *cobra.Command, g *globalFlags, username string, ch auth.UserChange) (store.User, error) {
	var out store.User
	err := withAuth(cmd, g, func(am *auth.Manager) error {
		u, err := am.UserByName(cmd.Context(), username)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no user %q (see `shouhou user list`)", username)
		}
		if err != nil {
			return err
		}
		out, err = am.UpdateUser(cmd.Context(), u.ID, ch)
		return err
	})
	return out, err
}

func newUserPasswdCmd(g *globalFlags) *cobra.Command {
	var password string
	cmd := &cobra.Command{
		Use:   "passwd USERNAME",
		Short: "Set a user's password (from --password or env SHOUHOU_PASSWORD); the way back in for a locked-out admin",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := passwordFrom(password)
			if err != nil {
				return err
			}
			u, err := changeUser(cmd, g, args[0], auth.UserChange{Password: &pw})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "password of %s changed\n", u.Username)
			return nil
		},
	}
	cmd.Flags().StringVar(&password, "password", "", "the new password, at least 8 characters")
	return cmd
}

func newUserDisabledCmd(g *globalFlags, verb string, disabled bool) *cobra.Command {
	short := "Disable a user: they can no longer sign in"
	if !disabled {
		short = "Enable a disabled user again"
	}
	return &cobra.Command{
		Use:   verb + " USERNAME",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := changeUser(cmd, g, args[0], auth.UserChange{Disabled: &disabled})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %sd\n", u.Username, verb)
			return nil
		},
	}
}

func newUserProfileCmd(g *globalFlags) *cobra.Command {
	var name, agentNo string
	cmd := &cobra.Command{
		Use:   "profile USERNAME",
		Short: "Set a user's display name (--name) and 工号 (--agent-no)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withAuth(cmd, g, func(am *auth.Manager) error {
				u, err := am.UserByName(cmd.Context(), args[0])
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("no user %q (see `shouhou user list`)", args[0])
				}
				if err != nil {
					return err
				}
				if !cmd.Flags().Changed("name") {
					name = u.DisplayName
				}
				if !cmd.Flags().Changed("agent-no") {
					agentNo = u.AgentNo
				}
				if u, err = am.SetProfile(cmd.Context(), u.ID, name, agentNo); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: name %s, 工号 %s\n", u.Username, u.DisplayName, u.AgentNo)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "display name")
	cmd.Flags().StringVar(&agentNo, "agent-no", "", "工号, e.g. 客服8号")
	return cmd
}

func newUserTokenCmd(g *globalFlags) *cobra.Command {
	var name string
	var scopes []string
	cmd := &cobra.Command{
		Use:   "token USERNAME",
		Short: "Make an API token for a user and print its secret once; --scope intake limits it to the intake endpoints (an ERP's or a script's push of platform after-sale records)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withAuth(cmd, g, func(am *auth.Manager) error {
				u, err := am.UserByName(cmd.Context(), args[0])
				if err != nil {
					return fmt.Errorf("user %s: %w", args[0], err)
				}
				secret, t, err := am.CreateScopedToken(cmd.Context(), u.ID, name, scopes)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "token %d for %s (scopes: %v); the secret is shown only now:\n%s\n", t.ID, u.Username, t.Scopes, secret)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "what the token is for, e.g. 聚水潭 (required)")
	cmd.Flags().StringSliceVar(&scopes, "scope", nil, "limit the token: intake (only POST /api/v1/intake/*); none: full access as the user")
	return cmd
}
