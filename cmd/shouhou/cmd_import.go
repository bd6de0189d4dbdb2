package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/register"
	"github.com/shouhou/shouhou/internal/store"
)

func newImportCmd(g *globalFlags) *cobra.Command {
	imp := &cobra.Command{Use: "import", Short: "Import data from spreadsheets"}
	var dryRun bool
	var mapping, as string
	reg := &cobra.Command{
		Use:   "register FILE",
		Short: "Open a case for each row of an existing register or order list (.xlsx or .csv); every bad row is listed and nothing is imported until the file is clean; running it again adds nothing",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := register.ParseMapping(mapping)
			if err != nil {
				return err
			}
			table, a, err := openImport(cmd, g, args[0])
			if err != nil {
				return err
			}
			defer a.close()
			rows, problems := register.Parse(table, m, a.clock.Now())
			res, err := a.desk.ImportRegister(cmd.Context(), desk.Actor{Name: as, Role: store.RoleAdmin}, rows, problems, dryRun)
			if err != nil {
				return err
			}
			if dryRun {
				fmt.Fprintf(cmd.OutOrStdout(), "检查通过:%d行,将新建%d个工单,%d个已存在(未导入,去掉 --dry-run 导入)\n", res.Rows, res.Created, res.Existing)
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已导入:%d行,新建%d个工单,%d个已存在\n", res.Rows, res.Created, res.Existing)
			return nil
		},
	}
	reg.Flags().BoolVar(&dryRun, "dry-run", false, "check every row and say what would be imported, import nothing")
	reg.Flags().StringVar(&mapping, "map", "", "column mapping for headers the importer does not know: 列名=field,… (fields: customer_name customer_phone customer_address platform order_no amount courier tracking_no sku batch type description demand emotion level)")
	reg.Flags().StringVar(&as, "as", "import", "who the opened cases are recorded as created by")
	imp.AddCommand(reg, newImportAfterSalesCmd(g))
	return imp
}

func newImportAfterSalesCmd(g *globalFlags) *cobra.Command {
	var dryRun bool
	var source, shopCode, plat, mapping, mapFile, as string
	cmd := &cobra.Command{
		Use:   "aftersales FILE",
		Short: "Import a platform's after-sale (refund) list exported from 千牛, 京麦, 抖店, 拼多多 or 聚水潭/旺店通 (.xlsx or .csv): one case per (platform, shop, after-sale id); every bad row is listed and nothing is imported until the file is clean; importing again updates only what moved",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := pickSource(source, mapFile)
			if err != nil {
				return err
			}
			m, err := platform.ParseMapping(mapping)
			if err != nil {
				return err
			}
			p := cases.Platform(plat)
			if p != "" && (!p.Valid() || p == cases.PlatformOther) {
				return fmt.Errorf("未知的平台 %q,须为 taobao、tmall、jd、douyin、pinduoduo 之一", plat)
			}
			table, a, err := openImport(cmd, g, args[0])
			if err != nil {
				return err
			}
			defer a.close()
			rows, problems, err := a.desk.ParseAfterSales(cmd.Context(), table, platform.ImportOpts{Source: src, Mapping: m, Shop: shopCode, Platform: p})
			if err != nil {
				return err
			}
			res, err := a.desk.ImportAfterSales(cmd.Context(), desk.Actor{Name: as, Role: store.RoleAdmin}, rows, problems, dryRun)
			if err != nil {
				return err
			}
			if dryRun {
				fmt.Fprintf(cmd.OutOrStdout(), "检查通过:%d行,将新建%d个工单,更新%d个,%d个无变化(未导入,去掉 --dry-run 导入)\n", res.Rows, res.Created, res.Updated, res.Unchanged)
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已导入:%d行,新建%d个工单,更新%d个,%d个无变化\n", res.Rows, res.Created, res.Updated, res.Unchanged)
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check every row and say what would be imported, import nothing")
	cmd.Flags().StringVar(&source, "source", "", "the export's source: qianniu jingmai doudian pinduoduo jushuitan wangdiantong (or an id of --map-file)")
	cmd.Flags().StringVar(&shopCode, "shop", "", "shop code of every row (empty: the business's only shop)")
	cmd.Flags().StringVar(&plat, "platform", "", "override the source's platform (e.g. tmall for a 千牛 export of a Tmall shop)")
	cmd.Flags().StringVar(&mapping, "map", "", "add or override columns: 列名=field,… (fields: aftersale_id order_no status type intervention refund_amount order_amount applied_at modified_at deadline buyer_nick buyer_phone reason description sku platform shop)")
	cmd.Flags().StringVar(&mapFile, "map-file", "", "a YAML file of column mappings in the format of internal/platform/sources/sources.yaml; --source picks one of its ids")
	cmd.Flags().StringVar(&as, "as", "import", "who the changes are recorded as made by")
	cmd.MarkFlagRequired("source")
	return cmd
}

// openImport reads the spreadsheet at path and opens the installation on the server's
// own desk: the same SLA, calendar, rules and dispatch as a case opened on the
// workbench. The operator imports as an admin, so new cases go to 待分配 (or to an
// agent by auto-dispatch), never to a user named after --as.
func openImport(cmd *cobra.Command, g *globalFlags, path string) ([][]string, *app, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	table, err := register.ReadTable(f, path)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := loadConfig(g, "")
	if err != nil {
		return nil, nil, err
	}
	if err := requireInstallation(cfg, g.create); err != nil {
		return nil, nil, err
	}
	a, err := newApp(cmd.Context(), cfg)
	if err != nil {
		return nil, nil, err
	}
	return table, a, nil
}

// pickSource finds the source by id in the mapping file, else among the shipped ones.
func pickSource(id, file string) (platform.Source, error) {
	if file == "" {
		return platform.SourceByID(id)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return platform.Source{}, err
	}
	srcs, err := platform.ParseSources(raw)
	if err != nil {
		return platform.Source{}, fmt.Errorf("%s: %w", file, err)
	}
	for _, s := range srcs {
		if s.ID == id {
			return s, nil
		}
	}
	return platform.Source{}, fmt.Errorf("%s 中没有来源 %q", file, id)
}
