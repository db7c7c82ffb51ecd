/**
 * Word pools the memo text is drawn from, written for this corpus (no downloads). Each topic family has its
 * own Chinese and English words, a category name and tag names; words earlier in a list are used more often
 * (the generator draws ranks with a Zipf law over a per-topic shuffle). `|` separates entries.
 */
export interface TopicFamily {
  key: string;
  category: string;
  tags: string[];
  zh: string[];
  en: string[];
}

const list = (text: string) =>
  text
    .split("|")
    .map((w) => w.trim())
    .filter(Boolean);

const family = (key: string, category: string, tags: string, zh: string, en: string): TopicFamily => ({
  key,
  category,
  tags: list(tags),
  zh: list(zh),
  en: list(en),
});

export const FAMILIES: TopicFamily[] = [
  family(
    "tech",
    "技术",
    "前端|后端|数据库|rust|typescript|运维|bug|架构|性能|AI",
    `代码|接口|数据库|服务器|部署|缓存|索引|查询|前端|后端|组件|函数|变量|类型|编译|测试|日志|报错|性能|内存|
     线程|并发|异步|协程|容器|镜像|集群|网关|负载均衡|消息队列|微服务|重构|依赖|版本|分支|合并|提交|回滚|
     配置|环境变量|脚本|命令行|终端|调试|断点|堆栈|指针|算法|数据结构|链表|哈希表|二叉树|排序|递归|向量|
     嵌入|模型|推理|训练|参数|提示词|检索|分词|全文索引|事务|死锁|主键|外键|连接池|超时|重试|限流|熔断`,
    `API|database|server|deploy|cache|index|query|frontend|backend|component|function|variable|type|compiler|
     test|log|error|performance|memory|thread|async|container|image|cluster|gateway|queue|microservice|
     refactor|dependency|version|branch|merge|commit|rollback|config|script|terminal|debugger|stack trace|
     pointer|algorithm|linked list|hash map|binary tree|sort|recursion|vector|embedding|model|inference|
     prompt|retrieval|tokenizer|transaction|deadlock|primary key|connection pool|timeout|retry|rate limit|
     TypeScript|React|Node.js|Docker|Kubernetes|MySQL|Redis|LanceDB|PostgreSQL|GitHub|CI pipeline|webpack|
     Vite|tRPC|Drizzle|pnpm|monorepo|linter|schema|migration`,
  ),
  family(
    "reading",
    "读书笔记",
    "读书|摘抄|小说|历史|哲学|心理学|书单",
    `读书|小说|作者|章节|人物|情节|结局|历史|哲学|心理学|社会学|经济学|诗歌|散文|传记|回忆录|摘抄|书评|
     书单|出版社|译本|原著|思想|观点|论证|隐喻|叙事|时代|命运|孤独|自由|记忆|时间|死亡|爱情|战争|革命|
     文明|帝国|王朝|农民|城市|乡村|科幻|推理|悬疑|奇幻|三体|红楼梦|百年孤独|活着|围城|平凡的世界|
     人类简史|枪炮病菌与钢铁|思考快与慢|认知|偏见|习惯|注意力|深度阅读|笔记|读后感|精读|泛读|书店|图书馆`,
    `book|novel|author|chapter|character|plot|ending|history|philosophy|psychology|sociology|economics|
     poetry|essay|biography|memoir|quote|review|reading list|publisher|translation|original|idea|argument|
     metaphor|narrative|era|fate|solitude|freedom|memory|death|love|war|revolution|civilization|empire|
     science fiction|mystery|fantasy|Kindle|audiobook|highlight|bookmark|library|bookstore|Sapiens|
     Thinking Fast and Slow|Atomic Habits|deep work|attention|bias|habit|Stoicism|Orwell|Borges|Calvino`,
  ),
  family(
    "work",
    "工作",
    "会议|项目|周报|OKR|招聘|客户|复盘",
    `会议|项目|需求|排期|上线|复盘|周报|月报|汇报|老板|同事|团队|客户|合同|预算|报价|方案|文档|评审|
     目标|关键结果|绩效|晋升|加班|出差|招聘|面试|简历|候选人|入职|离职|培训|流程|审批|风险|进度|
     里程碑|交付|验收|反馈|沟通|协作|优先级|待办|截止日期|例会|站会|头脑风暴|决策|共识|跨部门|
     供应商|采购|发票|报销|季度|年度计划|路线图|用户调研|竞品分析|数据看板|转化率|留存|增长`,
    `meeting|project|requirement|schedule|launch|retro|weekly report|manager|colleague|team|client|
     contract|budget|quote|proposal|document|review|goal|OKR|key result|promotion|overtime|business trip|
     hiring|interview|resume|candidate|onboarding|training|process|approval|risk|progress|milestone|
     delivery|feedback|communication|priority|todo|deadline|standup|brainstorm|decision|roadmap|
     stakeholder|vendor|invoice|quarter|annual plan|user research|competitor|dashboard|conversion|
     retention|growth|Slack|Notion|Jira|Figma|spreadsheet|slide deck|one-on-one`,
  ),
  family(
    "cooking",
    "生活",
    "做饭|菜谱|咖啡|探店|家居|购物",
    `做饭|菜谱|早餐|午饭|晚饭|外卖|咖啡|奶茶|面包|蛋糕|米饭|面条|饺子|火锅|烧烤|红烧肉|番茄炒蛋|
     宫保鸡丁|麻婆豆腐|鸡蛋|牛肉|猪肉|鸡胸肉|三文鱼|虾|豆腐|青菜|土豆|西红柿|黄瓜|洋葱|大蒜|生姜|
     酱油|醋|盐|糖|辣椒|花椒|橄榄油|烤箱|空气炸锅|电饭煲|冰箱|超市|菜市场|水果|苹果|香蕉|草莓|
     西瓜|打扫|收纳|洗衣机|快递|网购|家具|房租|水电费|搬家|绿植|猫|狗`,
    `cooking|recipe|breakfast|lunch|dinner|takeout|coffee|latte|espresso|bread|cake|rice|noodles|
     dumplings|hotpot|barbecue|egg|beef|pork|chicken|salmon|shrimp|tofu|vegetables|potato|tomato|onion|
     garlic|ginger|soy sauce|vinegar|salt|sugar|chili|olive oil|oven|air fryer|rice cooker|fridge|
     supermarket|grocery|fruit|apple|banana|strawberry|cleaning|laundry|delivery|furniture|rent|
     moving|houseplant|cat|dog|sourdough|pour-over|cafe|brunch|meal prep`,
  ),
  family(
    "travel",
    "旅行",
    "旅行|攻略|机票|酒店|徒步|摄影",
    `旅行|攻略|机票|火车票|高铁|酒店|民宿|签证|护照|行李|景点|门票|博物馆|古镇|海边|雪山|草原|沙漠|
     徒步|露营|自驾|导航|地图|路线|日出|日落|摄影|相机|镜头|照片|航班|延误|转机|机场|地铁|公交|
     出租车|北京|上海|成都|杭州|西安|大理|丽江|厦门|青岛|重庆|广州|深圳|东京|京都|大阪|首尔|曼谷|
     新加坡|巴黎|伦敦|纽约|冰岛|新西兰|美食街|夜市|特产|纪念品|汇率|小费|时差`,
    `travel|itinerary|flight|train|hotel|hostel|Airbnb|visa|passport|luggage|sightseeing|ticket|museum|
     old town|beach|mountain|desert|hiking|camping|road trip|navigation|map|route|sunrise|sunset|
     photography|camera|lens|photo|delay|layover|airport|subway|bus|taxi|Beijing|Shanghai|Chengdu|
     Hangzhou|Tokyo|Kyoto|Osaka|Seoul|Bangkok|Singapore|Paris|London|New York|Iceland|night market|
     souvenir|exchange rate|jet lag|backpack|guidebook|lonely planet|national park|ferry`,
  ),
  family(
    "health",
    "健康",
    "运动|跑步|健身|睡眠|饮食|体检",
    `运动|跑步|健身|瑜伽|游泳|骑行|爬山|羽毛球|篮球|足球|网球|深蹲|卧推|硬拉|俯卧撑|平板支撑|拉伸|
     热身|有氧|无氧|心率|配速|马拉松|半程|公里|体重|体脂|减脂|增肌|蛋白质|碳水|卡路里|饮食|节食|
     睡眠|失眠|早睡|午睡|冥想|焦虑|压力|情绪|抑郁|体检|医院|医生|感冒|发烧|咳嗽|头疼|过敏|颈椎|
     腰疼|膝盖|受伤|康复|维生素|喝水|步数|手环|血压|血糖|牙医`,
    `workout|running|gym|yoga|swimming|cycling|hiking|badminton|basketball|football|tennis|squat|
     bench press|deadlift|push-up|plank|stretching|warm-up|cardio|heart rate|pace|marathon|half marathon|
     kilometers|weight|body fat|protein|carbs|calories|diet|sleep|insomnia|nap|meditation|anxiety|stress|
     mood|checkup|hospital|doctor|cold|fever|cough|headache|allergy|knee|injury|recovery|vitamin|
     hydration|steps|Apple Watch|Strava|blood pressure|dentist|HIIT|VO2 max`,
  ),
  family(
    "finance",
    "理财",
    "理财|记账|基金|股票|保险|预算",
    `理财|记账|工资|奖金|存款|利息|基金|股票|债券|指数基金|定投|收益|亏损|回撤|仓位|分红|市盈率|
     估值|资产配置|风险偏好|保险|医疗险|重疾险|养老|公积金|社保|个税|房贷|车贷|信用卡|花呗|账单|
     消费|预算|开销|储蓄率|复利|通胀|汇率|美元|人民币|黄金|比特币|银行|理财产品|年化|现金流|
     被动收入|副业|退休|财务自由|报税|贷款|首付|月供|降息|加息`,
    `budget|expense|salary|bonus|savings|interest|fund|stock|bond|index fund|ETF|dividend|return|
     loss|drawdown|portfolio|asset allocation|P/E ratio|valuation|insurance|pension|tax|mortgage|
     credit card|bill|spending|saving rate|compound interest|inflation|exchange rate|USD|RMB|gold|
     Bitcoin|bank|cash flow|passive income|side project|retirement|FIRE|tax return|loan|down payment|
     rate cut|rate hike|S&P 500|Vanguard|brokerage|net worth|emergency fund|YNAB`,
  ),
  family(
    "learning",
    "学习",
    "学习|英语|日语|考试|课程|笔记",
    `学习|英语|日语|单词|语法|听力|口语|阅读理解|写作|翻译|考试|雅思|托福|考研|四六级|课程|网课|
     老师|作业|复习|预习|笔记|思维导图|错题本|记忆曲线|背单词|刷题|真题|模拟考|分数|及格|学分|
     论文|开题|答辩|导师|实验|数据分析|统计|线性代数|微积分|概率论|机器学习|深度学习|神经网络|
     线性回归|梯度下降|编程入门|番茄钟|专注|拖延|计划表|自律|学习方法|费曼学习法|间隔重复`,
    `study|English|Japanese|vocabulary|grammar|listening|speaking|reading|writing|translation|exam|
     IELTS|TOEFL|GRE|course|online course|teacher|homework|revision|notes|mind map|flashcards|Anki|
     spaced repetition|practice test|score|credit|thesis|paper|advisor|experiment|statistics|
     linear algebra|calculus|probability|machine learning|deep learning|neural network|gradient descent|
     regression|Coursera|MIT OCW|Khan Academy|Duolingo|Pomodoro|focus|procrastination|Feynman technique|
     lecture|syllabus|textbook`,
  ),
  family(
    "family",
    "家庭",
    "孩子|家人|育儿|纪念日|感恩",
    `孩子|儿子|女儿|宝宝|爸爸|妈妈|爷爷|奶奶|外公|外婆|老婆|老公|家人|亲戚|朋友|同学|生日|纪念日|
     婚礼|春节|中秋|国庆|端午|元宵|年夜饭|红包|礼物|幼儿园|小学|家长会|兴趣班|钢琴|画画|绘本|
     睡前故事|辅食|疫苗|尿布|哭闹|陪伴|耐心|吵架|和好|感恩|想念|回家|老家|视频通话|聚会|周末|
     公园|动物园|游乐场|家务|育儿经|成长|第一次|里程碑|照片墙`,
    `kids|son|daughter|baby|dad|mom|grandpa|grandma|wife|husband|family|relatives|friends|classmates|
     birthday|anniversary|wedding|Spring Festival|Mid-Autumn|Christmas|Thanksgiving|gift|red envelope|
     kindergarten|school|parent meeting|piano lessons|drawing|picture book|bedtime story|vaccine|diapers|
     tantrum|patience|argument|gratitude|miss you|hometown|video call|party|weekend|park|zoo|playground|
     chores|parenting|first steps|milestone|family photo`,
  ),
  family(
    "media",
    "影音",
    "电影|音乐|播客|游戏|追剧|演唱会",
    `电影|电视剧|纪录片|综艺|动漫|导演|演员|剧本|配乐|镜头|剪辑|豆瓣|评分|影评|追剧|更新|结局|彩蛋|
     音乐|歌单|专辑|歌词|旋律|节奏|吉他|钢琴曲|古典音乐|摇滚|民谣|爵士|说唱|演唱会|音乐节|耳机|
     播客|有声书|游戏|主机|通关|副本|存档|剧情|开放世界|独立游戏|塞尔达|原神|黑神话|宫崎骏|
     诺兰|王家卫|周杰伦|陈奕迅|五月天|坂本龙一|久石让|周末观影|电影院|影院|首映|预告片`,
    `movie|TV series|documentary|anime|director|actor|screenplay|soundtrack|cinematography|editing|
     IMDb|rating|review|episode|season finale|spoiler|music|playlist|album|lyrics|melody|rhythm|guitar|
     piano|classical|rock|folk|jazz|hip-hop|concert|festival|headphones|podcast|audiobook|video game|
     console|Switch|PS5|Steam|boss fight|save file|open world|indie game|Zelda|Elden Ring|Miyazaki|Nolan|
     Spotify|Netflix|vinyl|trailer|premiere|Studio Ghibli|Radiohead|Beatles`,
  ),
];

/** Words of every family: glue for sentences. */
export const COMMON_ZH = list(
  `今天|昨天|明天|最近|上午|下午|晚上|周末|终于|突然|其实|感觉|觉得|发现|想到|记得|需要|应该|可以|
   准备|开始|继续|完成|计划|打算|尝试|问题|办法|原因|结果|效果|体验|心情|时间|事情|东西|一下|一些|
   很多|有点|非常|比较|特别|重要|简单|麻烦|顺利|不错|好像|可能|一定|还是|已经|马上|以后|之前|
   这次|下次|第一次|记录|总结|想法|灵感|提醒|备忘`,
);
export const COMMON_EN = list(
  `today|yesterday|tomorrow|recently|this morning|tonight|weekend|finally|actually|really|maybe|
   probably|need to|should|try|start|finish|plan|idea|note|reminder|problem|solution|reason|result|
   experience|mood|time|thing|quick|simple|important|interesting|annoying|worth it|again|later|before|
   next time|first time|summary|thoughts|TODO|update|follow up`,
);

/**
 * Words almost nobody writes, in Chinese and English: rare keyword queries. Each topic has one pair, and a
 * sentence names it once in a few hundred.
 */
export const RARE = list(
  `薛定谔=Schrödinger|蝴蝶效应=butterfly effect|量子纠缠=entanglement|拜占庭=Byzantine|敦煌壁画=Dunhuang|
   甲骨文=oracle bones|青花瓷=celadon|榫卯=mortise|景德镇=Jingdezhen|哥德巴赫=Goldbach|斐波那契=Fibonacci|
   莫比乌斯=Möbius|克莱因瓶=Klein bottle|图灵机=Turing|香农熵=Shannon|傅里叶=Fourier|拉格朗日=Lagrange|
   黎曼猜想=Riemann|费马大定理=Fermat|普朗克=Planck`,
).map((pair) => {
  const [zh, en] = pair.split("=") as [string, string];
  return { zh, en };
});

export const EMOJI = list(
  "😀|😂|🥲|😅|🤔|😴|🎉|🔥|✅|❌|⭐|💡|📚|☕|🍜|🏃|✈️|🎵|🎬|💰|❤️|👍|🙏|🌧️|🌞|🐱|🤖|📝|🚀|⚠️",
);

export const URL_HOSTS = list(
  `github.com|zhihu.com|mp.weixin.qq.com|www.bilibili.com|stackoverflow.com|developer.mozilla.org|
   sspai.com|www.douban.com|news.ycombinator.com|medium.com|www.youtube.com|arxiv.org|juejin.cn|
   www.xiaohongshu.com|en.wikipedia.org|zh.wikipedia.org|docs.python.org|blog.example.com`,
);

/** Lines of code in memos' code blocks, by language (one line each). */
const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trimEnd().replace(/^ {4}/, ""))
    .filter(Boolean);

export const CODE: Record<string, string[]> = {
  ts: lines(`
    const rows = await db.select().from(memos).where(eq(memos.uid, uid));
    export function debounce<T>(fn: (arg: T) => void, ms = 300) {
    if (!response.ok) throw new Error(\`HTTP \${response.status}\`);
    const [first, ...rest] = items.sort((a, b) => b.score - a.score);
    return Object.fromEntries(entries.map(([k, v]) => [k, v ?? null]));
    for await (const batch of source.batches("memos", 1000)) total += batch.length;
    type Result<T> = { ok: true; value: T } | { ok: false; error: string };
    setTimeout(() => controller.abort(), 5_000);`),
  py: lines(`
    import numpy as np
    df = pd.read_csv("data.csv", parse_dates=["created_at"])
    for i, row in enumerate(rows):
        print(f"{i}: {row['title']}")
    model.fit(X_train, y_train, epochs=10, batch_size=32)
    with open(path, encoding="utf-8") as f:
    return sorted(items, key=lambda x: x[1], reverse=True)
    def cosine(a, b): return a @ b / (norm(a) * norm(b))`),
  sql: lines(`
    SELECT id, content FROM memos WHERE uid = ? ORDER BY created_at DESC LIMIT 20;
    CREATE INDEX idx_memos_uid_created ON memos (uid, created_at);
    EXPLAIN ANALYZE SELECT count(*) FROM memo_tags GROUP BY tag_id;
    UPDATE users SET updated_at = NOW() WHERE uid = 'u1';
    DELETE FROM sessions WHERE expires_at < NOW();`),
  sh: lines(`
    pnpm install --frozen-lockfile
    docker compose up -d mysql
    git rebase -i HEAD~3
    kubectl get pods -n prod | grep -v Running
    curl -s https://api.example.com/health | jq .
    tar -czf backup-$(date +%F).tar.gz ./data
    ssh deploy@10.0.0.12 'sudo systemctl restart aimo'
    du -sh ./lancedb_data/*`),
};
